using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: a balance copies its location's type once, when the product first puts stock there
/// (<c>StockBalance.Empty</c>), and nothing ever refreshes it. An operator who retypes a location (PUT the location with
/// another <c>type</c>) changes nothing for the stock already there: reservations keep drawing by the old type (issue 2:
/// pick faces first, then bulk, then overflow) and the stock view keeps showing the old type, even after further
/// movements at that location.
/// </summary>
public class AReservationAllocatesByTheLocationsCurrentTypeTests
{
    private readonly StockScenario s = StockScenario.Over(new InMemoryDocumentStore());

    private async Task SeedAsync()
    {
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "A-PICK", LocationType.PickFace);
        await s.LocationAsync("W1", "B-BULK", LocationType.Bulk);
        await s.ProductAsync("P");
        await s.StockAsync("P", "A-PICK", 10);
        await s.StockAsync("P", "B-BULK", 10);
    }

    [Fact]
    public async Task A_pick_face_retyped_to_overflow_is_drawn_from_after_bulk()
    {
        await SeedAsync();
        // The operator turns the old pick face into overflow and the bulk bin into the new pick face.
        await s.LocationAsync("W1", "A-PICK", LocationType.Overflow);
        await s.LocationAsync("W1", "B-BULK", LocationType.PickFace);

        var reserved = await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("P", 4)]));

        var allocation = Assert.Single(Assert.Single(reserved.Reservation.Lines).Allocations);
        Assert.Equal("B-BULK", allocation.LocationId); // the pick face now; the overflow location comes last
    }

    [Fact]
    public async Task The_stock_view_shows_the_locations_current_type_after_it_moved_there()
    {
        await SeedAsync();
        await s.LocationAsync("W1", "A-PICK", LocationType.Overflow);
        await s.StockAsync("P", "A-PICK", 1); // a movement at the retyped location since

        var stock = await s.App.Stock.GetStockAsync("P");
        Assert.Equal(LocationType.Overflow.ToString(), stock.Locations.Single(l => l.LocationId == "A-PICK").LocationType);
    }
}
