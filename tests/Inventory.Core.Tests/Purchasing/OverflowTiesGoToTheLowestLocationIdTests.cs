using Inventory.Domain;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review (receiving, 2026-12-02): with nothing having room a line goes to the overflow location with most room;
/// two with the same room were decided by the highest location id, where every other tie of the planner (and
/// docs/receiving.md, "ties by location id") goes to the lowest.
/// </summary>
public class OverflowTiesGoToTheLowestLocationIdTests
{
    private static readonly Product Box = new() { ProductId = "A", Sku = "A", Name = "box", UnitWeightGrams = 1000, Dimensions = new(100, 100, 100) };

    private static Location Loc(string id, LocationType type, decimal kg, long cm3) =>
        new() { LocationId = id, WarehouseId = "W1", Type = type, MaxWeightKg = kg, MaxVolumeCubicCm = cm3 };

    [Fact]
    public void Two_overflow_locations_with_the_same_room_take_the_lowest_id_first()
    {
        var planner = new PutAwayPlanner([Loc("OVF-B", LocationType.Overflow, 10, 10_000), Loc("OVF-A", LocationType.Overflow, 10, 10_000)], []);
        var s = planner.Plan(Box, 50, []); // fits neither: overflowed
        Assert.Equal(("OVF-A", true), (s.LocationId, s.Overflowed));
    }
}
