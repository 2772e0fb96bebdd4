using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

public class NightlyRuleArithmeticTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static Product P(long reorderPoint = 10, long reorderQuantity = 50, int leadTimeDays = 5) => new()
    {
        ProductId = "A", Sku = "A", Name = "a", ReorderPoint = reorderPoint, ReorderQuantity = reorderQuantity, LeadTimeDays = leadTimeDays,
        AutoReplenish = true, PreferredSupplierId = "S",
    };

    private static DemandHistory Shipped(int days, long perDay)
    {
        var d = new DemandHistory();
        for (var i = 1; i <= days; i++) d.RecordShipment(new DateTimeOffset(Today.AddDays(-i).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), perDay);
        return d;
    }

    [Fact]
    public void Safety_stock_is_twice_daily_demand_times_lead_time()
    {
        // 28 days x 4 units = 4/day; safety = 2 x 4 x 5 = 40; threshold = 10 + 40 = 50.
        var p = ReplenishmentRule.Nightly(P(), 50, new ProductSupply { ProductId = "A" }, Shipped(28, 4), Today, 28);
        Assert.Equal((4.0, 40L, 50L, true, 50L), (p.AverageDailyDemand, p.SafetyStock, p.Threshold, p.Reorder, p.Quantity));
        var above = ReplenishmentRule.Nightly(P(), 51, new ProductSupply { ProductId = "A" }, Shipped(28, 4), Today, 28);
        Assert.False(above.Reorder);
    }

    [Fact]
    public void Order_quantity_is_at_least_the_reorder_quantity()
    {
        var p = ReplenishmentRule.Nightly(P(reorderQuantity: 100), 45, new ProductSupply { ProductId = "A" }, Shipped(28, 4), Today, 28);
        Assert.Equal(100, p.Quantity);
    }

    [Fact]
    public void Zero_demand_leaves_the_reorder_point_as_the_threshold()
    {
        var p = ReplenishmentRule.Nightly(P(), 10, new ProductSupply { ProductId = "A" }, new DemandHistory(), Today, 28);
        Assert.Equal((0.0, 0L, 10L, true, 50L), (p.AverageDailyDemand, p.SafetyStock, p.Threshold, p.Reorder, p.Quantity));
        Assert.False(ReplenishmentRule.Nightly(P(), 11, new ProductSupply { ProductId = "A" }, new DemandHistory(), Today, 28).Reorder);
    }

    [Fact]
    public void Demand_older_than_the_window_and_today_is_not_counted()
    {
        var d = Shipped(40, 7);
        d.RecordShipment(new DateTimeOffset(Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), 1000);
        Assert.Equal(7.0, d.AverageDaily(Today, 28));
    }
}

public class NightlyScanTests
{
    [Fact]
    public async Task The_scan_orders_what_the_rule_demands_and_counts_what_it_saw()
    {
        var r = await ReplenishmentScenario.CreateAsync(pageSize: 2);
        await r.ProductAsync("LOW", stock: 5);
        await r.ProductAsync("HIGH", stock: 500);
        await r.ProductAsync("NEW", stock: 0);          // a new product with no stock and no demand
        await r.ProductAsync("OFF", stock: 1, auto: false);
        var run = await r.App.ReplenishmentScan.ExecuteAsync();

        Assert.Equal((RunStatus.Completed, 4L, 2L, 0L), (run.Status, run.Scanned, run.OrdersCreated, run.Errors));
        Assert.Equal(["LOW", "NEW"], (await r.RaisedOrdersAsync()).Select(o => o.Lines.Single().ProductId).Order());
        Assert.Equal(run.CompletedAt, (await r.App.ReplenishmentScan.LatestAsync())!.CompletedAt);
        var again = await r.App.ReplenishmentScan.ExecuteAsync(pastDue: true);
        Assert.Equal((run.Pages, run.Scanned, false), (again.Pages, again.Scanned, again.PastDue)); // today's run is done: a late or repeated invocation changes nothing
        Assert.Equal(2, (await r.RaisedOrdersAsync()).Count);
    }

    private sealed class Crash : Exception;

    [Fact]
    public async Task A_scan_that_dies_mid_way_resumes_from_its_checkpoint_without_skipping_or_ordering_twice()
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store, pageSize: 3);
        for (var i = 0; i < 10; i++) await r.ProductAsync($"P{i:D2}", stock: i % 2 == 0 ? 1 : 100);

        var runSaves = 0;
        store.BeforeCommit = (c, p, _) => { if (c == Collection.Runs && p == DailyReplenishmentScan.Partition && ++runSaves == 3) throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => r.App.ReplenishmentScan.ExecuteAsync());
        store.BeforeCommit = null;
        var interrupted = await r.App.ReplenishmentScan.LatestAsync();
        Assert.Equal((RunStatus.Running, 2), (interrupted!.Status, interrupted.Pages));

        var run = await r.App.ReplenishmentScan.ExecuteAsync(pastDue: true);
        Assert.Equal(RunStatus.Completed, run.Status);
        var ordered = (await r.RaisedOrdersAsync()).Select(o => o.Lines.Single().ProductId).Order().ToArray();
        Assert.Equal(["P00", "P02", "P04", "P06", "P08"], ordered);
        // The counts of the page that died with the process were never saved, so each product is counted exactly once.
        // Products of that page ordered before the crash are found with their open order on the resumed run.
        Assert.Equal((10L, 5L, 5L, 0L), (run.Scanned, run.BelowThreshold, run.OrdersCreated + run.SkippedOpenOrder, run.Errors));
    }
}

/// <summary>Issue 12, defect 7: two scans of one run at once (a timer and a manual run, two instances) both end well.</summary>
public class ConcurrentScanTests
{
    [Fact]
    public async Task Two_scans_at_once_finish_one_run_with_each_product_counted_and_ordered_once()
    {
        var r = await ReplenishmentScenario.CreateAsync(pageSize: 2);
        for (var i = 0; i < 8; i++) await r.ProductAsync($"C{i:D2}", stock: i % 2 == 0 ? 1 : 100);

        var runs = await Task.WhenAll(
            Task.Run(() => r.App.ReplenishmentScan.ExecuteAsync()),
            Task.Run(() => r.App.ReplenishmentScan.ExecuteAsync()));

        Assert.All(runs, run => Assert.Equal(RunStatus.Completed, run.Status));
        var latest = await r.App.ReplenishmentScan.LatestAsync();
        Assert.Equal(8, latest!.Scanned);
        Assert.Equal(["C00", "C02", "C04", "C06"], (await r.RaisedOrdersAsync()).Select(o => o.Lines.Single().ProductId).Order());
    }
}
