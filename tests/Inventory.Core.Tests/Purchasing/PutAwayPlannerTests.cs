using Inventory.Domain;

namespace Inventory.Core.Tests.Purchasing;

public class PutAwayPlannerTests
{
    // 1 kg, 10x10x10 cm = 1,000 cm3 a unit.
    private static readonly Product Box = new() { ProductId = "A", Sku = "A", Name = "box", UnitWeightGrams = 1000, Dimensions = new(100, 100, 100) };

    private static Location Loc(string id, LocationType type, decimal kg, long cm3) =>
        new() { LocationId = id, WarehouseId = "W1", Type = type, MaxWeightKg = kg, MaxVolumeCubicCm = cm3 };

    [Fact]
    public void A_location_already_holding_the_product_wins_when_it_has_room()
    {
        var planner = new PutAwayPlanner([Loc("PICK", LocationType.PickFace, 100, 100_000), Loc("BULK-9", LocationType.Bulk, 100, 100_000)], []);
        var s = planner.Plan(Box, 5, ["BULK-9"]);
        Assert.Equal(("BULK-9", false), (s.LocationId, s.Overflowed));
    }

    [Fact]
    public void Pick_faces_come_before_bulk_and_bulk_before_overflow()
    {
        var planner = new PutAwayPlanner([Loc("OVF", LocationType.Overflow, 0, 0), Loc("BULK", LocationType.Bulk, 100, 100_000), Loc("PICK", LocationType.PickFace, 10, 10_000)], []);
        Assert.Equal("PICK", planner.Plan(Box, 10, []).LocationId);   // fills the pick face exactly
        Assert.Equal("BULK", planner.Plan(Box, 1, []).LocationId);    // pick face is now full
    }

    [Fact]
    public void Weight_limits_room_even_when_volume_would_fit()
    {
        var planner = new PutAwayPlanner([Loc("LIGHT", LocationType.PickFace, 2, 1_000_000), Loc("BULK", LocationType.Bulk, 100, 1_000_000)], []);
        Assert.Equal("BULK", planner.Plan(Box, 3, []).LocationId);
    }

    [Fact]
    public void Volume_limits_room_and_what_is_already_there_counts()
    {
        var loads = new[] { new LocationLoad("PICK", 0, 9_500_000_000) }; // 9,500,000 cm3 already used of 10,000,000
        var planner = new PutAwayPlanner([Loc("PICK", LocationType.PickFace, 0, 10_000_000), Loc("BULK", LocationType.Bulk, 0, 0)], loads);
        Assert.Equal("PICK", planner.Plan(Box, 500, []).LocationId);
        Assert.Equal("BULK", planner.Plan(Box, 1, []).LocationId);
    }

    [Fact]
    public void The_tightest_fit_wins_and_ties_break_by_location_id()
    {
        var planner = new PutAwayPlanner([Loc("B-2", LocationType.Bulk, 0, 5_000), Loc("B-1", LocationType.Bulk, 0, 5_000), Loc("B-0", LocationType.Bulk, 0, 50_000)], []);
        Assert.Equal("B-1", planner.Plan(Box, 5, []).LocationId);
        Assert.Equal("B-2", planner.Plan(Box, 5, []).LocationId);
        Assert.Equal("B-0", planner.Plan(Box, 5, []).LocationId);
    }

    [Fact]
    public void When_nothing_fits_the_line_goes_to_overflow_and_says_so()
    {
        var planner = new PutAwayPlanner([Loc("PICK", LocationType.PickFace, 1, 1_000), Loc("OVF-A", LocationType.Overflow, 1, 1_000), Loc("OVF-B", LocationType.Overflow, 1, 2_000)], []);
        var s = planner.Plan(Box, 50, []);
        Assert.Equal(("OVF-B", true), (s.LocationId, s.Overflowed));
    }

    [Fact]
    public void A_warehouse_without_overflow_refuses_what_does_not_fit()
    {
        var planner = new PutAwayPlanner([Loc("PICK", LocationType.PickFace, 1, 1_000)], []);
        Assert.Throws<InvalidStateException>(() => planner.Plan(Box, 50, []));
    }

    [Fact]
    public void Planning_among_many_locations_stays_deterministic()
    {
        var locations = Enumerable.Range(0, 10_000).Select(i => Loc($"B-{i:D5}", LocationType.Bulk, 100, 1_000 * (1 + i % 50))).ToArray();
        var first = new PutAwayPlanner(locations, []);
        var second = new PutAwayPlanner(locations.Reverse(), []);
        var a = Enumerable.Range(0, 200).Select(_ => first.Plan(Box, 3, []).LocationId).ToArray();
        var b = Enumerable.Range(0, 200).Select(_ => second.Plan(Box, 3, []).LocationId).ToArray();
        Assert.Equal(a, b);
        Assert.Equal("B-00002", a[0]); // smallest bins with room for 3,000 cm3 come first
    }
}
