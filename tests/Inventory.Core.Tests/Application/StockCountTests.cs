using Inventory.Application.Counts;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>Issue 15: a cycle count of many rows, each an idempotent counted adjustment, rows independent.</summary>
public class StockCountTests
{
    private readonly StockScenario s = StockScenario.Over(new InMemoryDocumentStore());

    private async Task SeedAsync()
    {
        await s.WarehouseAsync("w");
        await s.LocationAsync("w", "bin-a");
        await s.LocationAsync("w", "bin-b");
        await s.ProductAsync("p1", "SKU-1");
        await s.ProductAsync("p2", "SKU-2");
        await s.StockAsync("p1", "bin-a", 10);
        await s.StockAsync("p2", "bin-b", 4);
    }

    private static CountRow Row(int line, string location, string? product, long? counted, string? sku = null, string? reason = null) =>
        new(line, location, product, sku, counted, reason);

    [Fact]
    public async Task Each_row_becomes_a_counted_adjustment_with_the_cycle_count_reason_by_default()
    {
        await SeedAsync();
        var result = await s.App.StockCount.ExecuteAsync(new CountCommand("count-1",
            [Row(2, "bin-a", "p1", 7), Row(3, "bin-b", null, 6, sku: "SKU-2", reason: "found-stock"), Row(4, "bin-b", "p1", 2)]));

        Assert.Equal((3, 3, 0, 0), (result.Rows, result.Applied, result.Replayed, result.Failed));
        Assert.Equal([7L, 6L, 2L], result.Results.Select(r => r.QuantityOnHand!.Value));
        Assert.Equal(9, (await s.App.Stock.GetStockAsync("p1")).QuantityOnHand);
        var ledger = (await s.App.Stock.GetLedgerAsync("p1")).Entries;
        Assert.Contains(ledger, e => e.TxnType == TxnType.Adjust && e.ReasonCode == StockCount.DefaultReason && e.OnHandDelta == -3);
        Assert.Equal("found-stock", (await s.App.Stock.GetLedgerAsync("p2")).Entries[0].ReasonCode);
        await s.AssertBooksBalanceAsync("p1");
    }

    [Fact]
    public async Task The_same_count_sent_again_changes_nothing_even_reordered()
    {
        await SeedAsync();
        CountRow[] rows = [Row(2, "bin-a", "p1", 7), Row(3, "bin-b", "p2", 6)];
        await s.App.StockCount.ExecuteAsync(new CountCommand("count-1", rows));
        var ledgerBefore = (await s.App.Stock.GetLedgerAsync("p1")).Entries.Count;

        var again = await s.App.StockCount.ExecuteAsync(new CountCommand("count-1", rows.Reverse().ToArray()));
        Assert.Equal((0, 2, 0), (again.Applied, again.Replayed, again.Failed));
        Assert.Equal(ledgerBefore, (await s.App.Stock.GetLedgerAsync("p1")).Entries.Count);
        Assert.Equal(7, (await s.App.Stock.GetStockAsync("p1")).QuantityOnHand);

        var other = await s.App.StockCount.ExecuteAsync(new CountCommand("count-1", [Row(2, "bin-a", "p1", 8)]));
        Assert.Equal("reference-conflict", Assert.Single(other.Results).Code);
        Assert.Equal(7, (await s.App.Stock.GetStockAsync("p1")).QuantityOnHand);
    }

    [Fact]
    public async Task A_bad_row_is_reported_by_its_line_and_the_others_go_on()
    {
        await SeedAsync();
        var result = await s.App.StockCount.ExecuteAsync(new CountCommand("count-2",
        [
            Row(2, "bin-a", "p1", 3),
            Row(3, "bin-a", null, 1, sku: "SKU-UNKNOWN"),
            Row(4, "bin-zz", "p2", 1),
            Row(5, "bin-a", "p1", 4),
            Row(6, "bin-b", "p2", null),
            new CountRow(7, "bin-b", "p2", null, null, null, new FieldError("countedQuantity", "must be a whole number of units, not 'x'")),
            Row(8, "bin-b", "nope", 1),
            Row(9, "bin-b", "p2", 5),
        ]));
        Assert.Equal((8, 2, 6), (result.Rows, result.Applied, result.Failed));
        var failed = result.Results.Where(r => r.Status == CountRowStatus.Failed).ToDictionary(r => r.Line);
        Assert.Equal([3, 4, 5, 6, 7, 8], failed.Keys.Order());
        Assert.Contains("SKU-UNKNOWN", failed[3].Error, StringComparison.Ordinal);
        Assert.Equal("location-not-found", failed[4].Code);
        Assert.Contains("line 2", failed[5].Error, StringComparison.Ordinal);
        Assert.Contains("countedQuantity", failed[6].Error, StringComparison.Ordinal);
        Assert.Contains("whole number", failed[7].Error, StringComparison.Ordinal);
        Assert.Equal("product-not-found", failed[8].Code);
        Assert.Equal(3, (await s.App.Stock.GetStockAsync("p1")).QuantityOnHand);
        Assert.Equal(5, (await s.App.Stock.GetStockAsync("p2")).QuantityOnHand);
    }

    [Fact]
    public async Task A_count_without_an_id_or_rows_is_refused_whole()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => s.App.StockCount.ExecuteAsync(new CountCommand("", [])));
        Assert.Equal(["countId", "rows"], e.Errors.Select(x => x.Field).Order());
        await Assert.ThrowsAsync<ValidationException>(() => s.App.StockCount.ExecuteAsync(new CountCommand(new string('c', 65), [Row(2, "a", "b", 1)])));
    }

    [Fact]
    public async Task Location_loads_follow_the_whole_count_once_and_each_location_is_read_once()
    {
        var store = new InMemoryDocumentStore();
        var app = new Inventory.Testing.InventoryApplication(store);
        var w = new StockScenario(app);
        await w.WarehouseAsync("w");
        await w.LocationAsync("w", "bin-a");
        foreach (var p in new[] { "p1", "p2", "p3" })
        {
            await app.SaveProduct.ExecuteAsync(new Product { ProductId = p, Sku = "S" + p, Name = p, UnitWeightGrams = 100, Dimensions = new Dimensions(10, 10, 10) });
            await w.StockAsync(p, "bin-a", 10);
        }
        Assert.Equal(3000, Assert.Single(await app.LocationLoads.ReadAsync("w")).WeightGrams);

        var reads = store.Reads;
        var result = await app.StockCount.ExecuteAsync(new CountCommand("loads", [Row(2, "bin-a", "p1", 4), Row(3, "bin-a", "p2", 12), Row(4, "bin-a", "p3", 10)]));
        Assert.Equal(0, result.Failed);
        var load = Assert.Single(await app.LocationLoads.ReadAsync("w"));
        Assert.Equal(3000 - 600 + 200, load.WeightGrams);    // 100 g a unit: 6 fewer of p1, 2 more of p2, p3 as it stood
        Assert.Equal(26 * 1000, load.VolumeCubicMm);
        // Per row: its product partition (its state: two point reads at once; then the read; commit). The location: index and
        // document once for the count, its type once after the pass (a retype racing the count, BalanceTypeCopies). Then the loads.
        Assert.True(store.Reads - reads <= 3 * 3 + 2 + 1 + 2, $"{store.Reads - reads} reads");
    }

    [Fact]
    public async Task Ten_thousand_rows_go_through_in_one_call()
    {
        await s.WarehouseAsync("w");
        var locations = Enumerable.Range(0, 10).Select(i => $"bin-{i}").ToArray();
        foreach (var l in locations) await s.LocationAsync("w", l);
        var products = Enumerable.Range(0, 1000).Select(i => $"p{i:D4}").ToArray();
        foreach (var p in products) await s.ProductAsync(p);
        var rows = products.SelectMany(p => locations.Select(l => (p, l))).Select((x, i) => Row(i + 2, x.l, x.p, i % 5)).ToArray();

        var result = await s.App.StockCount.ExecuteAsync(new CountCommand("big", rows));
        Assert.Equal((10_000, 10_000, 0), (result.Rows, result.Applied, result.Failed));
        Assert.Equal(rows.Select(r => r.Line), result.Results.Select(r => r.Line));
        Assert.Equal(Enumerable.Range(0, 10).Sum(i => (long)((i + 0) % 5)), (await s.App.Stock.GetStockAsync("p0000")).QuantityOnHand);
        await s.AssertBooksBalanceAsync("p0999");
    }
}
