using Inventory.Application.Counts;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// A large count whose first send died while recording its rows: 200 rows (199 of products not in the catalog, each
/// failing on its own, then the one that counts: p1 at bin-a is 3, where it held 10), chunks 0 and 1 written, chunk 2
/// not. Commits of at most 40 KB, so each chunk of 50 rows is a transaction of its own.
/// </summary>
internal static class HalfRecordedCount
{
    public const string CountId = "big-count";

    public static InMemoryDocumentStore Store() => new(limits: InMemoryDocumentStore.Strictest with { MaxCommitBytes = 40 * 1024 });

    /// <summary>The application over <paramref name="over"/> (a wrapper of <paramref name="memory"/>, or it), after the crashed first send.</summary>
    public static async Task<(InventoryApplication App, CountRow[] Rows)> CreateAsync(InMemoryDocumentStore memory, IDocumentStore? over = null,
        TimeProvider? clock = null)
    {
        var app = new InventoryApplication(over ?? memory, clock) { CountOptions = new CountOptions { InRequestRows = 2, WindowRows = 1_000 } };
        var s = new StockScenario(app);
        await s.WarehouseAsync("w");
        await s.LocationAsync("w", "bin-a");
        await s.LocationAsync("w", "bin-b");
        await s.ProductAsync("p1", "SKU-1");
        await s.StockAsync("p1", "bin-a", 10);

        var rows = Enumerable.Range(0, 199).Select(i => new CountRow(i + 2, "bin-b", $"ghost-{i:D3}", null, 1, null))
            .Append(new CountRow(201, "bin-a", "p1", null, 3, null)).ToArray();
        var crashed = false;
        memory.BeforeCommit = (collection, _, writes) =>
        {
            if (!crashed && collection == Collection.Runs && writes.Any(w => w.Id == CountBook.RowsId(2)))
            {
                crashed = true;
                throw new StoreUnavailableException("in-memory store", "crash while recording the count's rows");
            }
        };
        await Assert.ThrowsAnyAsync<Exception>(() => app.StockCount.SubmitAsync(new CountCommand(CountId, rows)));
        Assert.True(crashed);
        return (app, rows);
    }

    /// <summary>The same rows, the file sorted the other way.</summary>
    public static CountRow[] Reordered(CountRow[] rows) => rows.Reverse().Select((r, i) => r with { Line = i + 2 }).ToArray();
}
