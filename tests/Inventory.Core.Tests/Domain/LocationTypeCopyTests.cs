using Inventory.Domain;
using static Inventory.Core.Tests.Domain.Stocks;

namespace Inventory.Core.Tests.Domain;

/// <summary>A balance's copy of its location's type follows the location: every movement given it, and a retype.</summary>
public class LocationTypeCopyTests
{
    [Fact]
    public void Every_movement_given_the_location_refreshes_the_copy()
    {
        var stock = With(Balance("A", 10, type: LocationType.PickFace), Balance("B", 10, type: LocationType.PickFace), Balance("C", 10));
        stock.Adjust(new AdjustRequest("A1", "A", -1, null, "damaged", false, "t"), Location("A", LocationType.Overflow), Now);
        stock.Transfer(new TransferRequest("T1", "B", "C", 2, "t"), Location("C", LocationType.PickFace), Now, Location("B", LocationType.Bulk));
        stock.Receive(new ReceiveRequest("R1", "D", 3, "Receipt", "t"), Location("D", LocationType.Overflow), Now);

        Assert.Equal([LocationType.Overflow, LocationType.Bulk, LocationType.PickFace, LocationType.Overflow],
            stock.Balances.OrderBy(b => b.LocationId, StringComparer.Ordinal).Select(b => b.LocationType));
    }

    [Fact]
    public void A_retype_changes_no_quantity_and_writes_no_entry()
    {
        var stock = With(Balance("A", 10, reserved: 4, type: LocationType.PickFace));
        Assert.False(stock.Retype("A", LocationType.PickFace));
        Assert.False(stock.Retype("Z", LocationType.Bulk)); // no balance there
        Assert.False(stock.HasChanges);

        Assert.True(stock.Retype("A", LocationType.Overflow));
        Assert.Equal(Balance("A", 10, reserved: 4, type: LocationType.Overflow), stock.Balance("A"));
        Assert.Equal(["A"], stock.ChangedBalances);
        Assert.Empty(stock.NewEntries);
    }
}
