using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// The stock view of a product in escrow counts what its buckets have not reserved as available at each location
/// (<c>EscrowReadTests</c>), and a count or a decrease of such a product gathers the buckets' free units back before
/// deciding. A transfer is decided on the product's partition alone: the units its buckets hold for nobody are reserved
/// there (by the holders), so a transfer of what the stock view shows available is refused as insufficient stock, its
/// problem naming fewer units available than the view does.
/// </summary>
public class ATransferOfAProductInEscrowMovesWhatTheStockViewShowsAvailableTests
{
    [Fact]
    public async Task A_transfer_of_the_available_units_shown_at_a_location_is_applied()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        var app = world.Instance(1);
        await new Inventory.Testing.StockScenario(app).LocationAsync("W1", "L1b");
        var atL1 = (await app.Stock.GetStockAsync(EscrowWorld.Product)).Locations.Single(l => l.LocationId == "L1");
        Assert.Equal(97, atL1.QuantityAvailable); // 100 on hand, 3 reserved by O1 in bucket 2

        var refused = await Record.ExceptionAsync(() => app.Transfer.ExecuteAsync(
            new TransferCommand(EscrowWorld.Product, "L1", "L1b", atL1.QuantityAvailable, "t-1")));

        Assert.True(refused is null, $"a transfer of the {atL1.QuantityAvailable} units the stock view shows available was refused: "
            + (refused is InsufficientStockException e ? $"available {e.Lines.Single().Available}" : refused?.Message));
        var after = await app.Stock.GetStockAsync(EscrowWorld.Product);
        Assert.Equal((3L, 97L), (after.Locations.Single(l => l.LocationId == "L1").QuantityOnHand, after.Locations.Single(l => l.LocationId == "L1b").QuantityOnHand));
        await world.AssertEscrowBalancesAsync();
    }
}
