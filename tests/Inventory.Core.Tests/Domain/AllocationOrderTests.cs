using Inventory.Domain;
using static Inventory.Core.Tests.Domain.Stocks;

namespace Inventory.Core.Tests.Domain;

public class AllocationOrderTests
{
    [Fact]
    public void Pick_faces_are_drawn_first_then_bulk_then_overflow()
    {
        var stock = With(Balance("OVF", 10, type: LocationType.Overflow), Balance("BULK", 10), Balance("PICK", 3, type: LocationType.PickFace));
        var r = stock.Reserve(Order("O1", 15), AllocationOptions.Default, Now);
        Assert.Equal([("PICK", 3L), ("BULK", 10L), ("OVF", 2L)], r.Allocations.Select(a => (a.LocationId, a.Quantity)));
    }

    [Fact]
    public void The_type_priority_is_configurable()
    {
        var stock = With(Balance("BULK", 10), Balance("PICK", 10, type: LocationType.PickFace));
        var options = new AllocationOptions([LocationType.Bulk, LocationType.PickFace, LocationType.Overflow]);
        var r = stock.Reserve(Order("O1", 4), options, Now);
        Assert.Equal("BULK", Assert.Single(r.Allocations).LocationId);
    }

    [Fact]
    public void Within_a_type_the_location_with_most_available_goes_first_and_ties_break_by_id()
    {
        var stock = With(Balance("B2", 5), Balance("B1", 5), Balance("B3", 9, reserved: 1));
        var r = stock.Reserve(Order("O1", 14), AllocationOptions.Default, Now);
        Assert.Equal(["B3", "B1", "B2"], r.Allocations.Select(a => a.LocationId));
        Assert.Equal([8L, 5L, 1L], r.Allocations.Select(a => a.Quantity));
    }

    [Fact]
    public void A_warehouse_filter_allocates_only_from_that_warehouse()
    {
        var stock = With(Balance("A", 10, warehouse: "W1"), Balance("B", 10, warehouse: "W2", type: LocationType.PickFace));
        var r = stock.Reserve(Order("O1", 10, warehouse: "W1"), AllocationOptions.Default, Now);
        Assert.Equal("A", Assert.Single(r.Allocations).LocationId);
        Assert.Equal(0, stock.Balance("B")!.QuantityReserved);
    }
}
