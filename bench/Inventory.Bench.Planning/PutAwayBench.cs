using System.Diagnostics;
using Inventory.Domain;

namespace Inventory.Bench.Planning;

/// <summary>
/// Put-away cost per line as the warehouse grows: if planning scanned the locations, time per line would grow 10× from
/// 10,000 to 100,000 locations; with the sorted index it grows with log n. Each size is measured over many lines after a warm-up.
/// </summary>
internal static class PutAwayBench
{
    private static readonly Product Box = new() { ProductId = "A", Sku = "A", Name = "box", UnitWeightGrams = 2500, Dimensions = new(300, 200, 150) };

    public static int Run()
    {
        Console.WriteLine("locations | build ms | lines | µs per line | lines/s");
        foreach (var size in new[] { 1_000, 10_000, 100_000 })
        {
            var random = new Random(42);
            var locations = Enumerable.Range(0, size).Select(i => new Location
            {
                LocationId = $"L{i:D6}", WarehouseId = "W1",
                Type = (i % 10) switch { 0 => LocationType.PickFace, 9 => LocationType.Overflow, _ => LocationType.Bulk },
                MaxWeightKg = random.Next(50, 2000), MaxVolumeCubicCm = random.Next(50_000, 3_000_000),
            }).ToArray();
            var loads = locations.Where((_, i) => i % 3 == 0).Select(l => new LocationLoad(l.LocationId, random.Next(0, 40_000), random.Next(0, 40_000_000))).ToArray();

            var build = Stopwatch.StartNew();
            var planner = new PutAwayPlanner(locations, loads);
            build.Stop();
            const int Lines = 50_000;
            for (var i = 0; i < 2_000; i++) planner.Plan(Box, 1 + i % 5, []); // warm-up
            var plan = Stopwatch.StartNew();
            for (var i = 0; i < Lines; i++) planner.Plan(Box, 1 + i % 5, []);
            plan.Stop();
            var micros = plan.Elapsed.TotalMicroseconds / Lines;
            Console.WriteLine($"{size,9:N0} | {build.Elapsed.TotalMilliseconds,8:F0} | {Lines:N0} | {micros,11:F2} | {Lines / plan.Elapsed.TotalSeconds,7:N0}");
        }
        return 0;
    }
}
