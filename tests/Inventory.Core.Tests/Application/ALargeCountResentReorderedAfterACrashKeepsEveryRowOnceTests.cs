using Inventory.Application.Counts;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: <c>CountBook.HashOf</c> no longer depends on row order, so a recorded count left in Receiving by a
/// crash while its chunks were being written is taken over by the same rows sent again in another order. But
/// <c>CountBook.WriteChunksAsync</c> still keeps every chunk already there and writes only the missing ones from the new
/// order ("the header pins the rows' hash"): the count is then made of the first send's first chunks and the resend's
/// last chunks. Some rows are recorded twice and others never, so a row of the count is silently never applied while the
/// count completes. Fixed: a resend in another order while the count is receiving takes it over in a new generation of
/// chunks (<c>CountRecord.Generation</c>).
/// </summary>
public class ALargeCountResentReorderedAfterACrashKeepsEveryRowOnceTests
{
    [Fact]
    public async Task Every_row_of_a_count_resent_in_another_order_after_a_crash_mid_recording_is_applied()
    {
        // Commits of at most 20 KB: each chunk of 50 rows is written in a transaction of its own.
        var store = new InMemoryDocumentStore(limits: InMemoryDocumentStore.Strictest with { MaxCommitBytes = 40 * 1024 });
        var app = new InventoryApplication(store) { CountOptions = new CountOptions { InRequestRows = 2, WindowRows = 1_000 } };
        var s = new StockScenario(app);
        await s.WarehouseAsync("w");
        await s.LocationAsync("w", "bin-a");
        await s.LocationAsync("w", "bin-b");
        await s.ProductAsync("p1", "SKU-1");
        await s.StockAsync("p1", "bin-a", 10);

        // 199 rows of products not in the catalog (each fails on its own), then the one row that counts: p1 at bin-a is 3.
        var rows = Enumerable.Range(0, 199).Select(i => new CountRow(i + 2, "bin-b", $"ghost-{i:D3}", null, 1, null))
            .Append(new CountRow(201, "bin-a", "p1", null, 3, null)).ToArray();

        // The first send dies while recording its rows: chunks 0 and 1 are written, chunk 2 is not.
        var crashed = false;
        store.BeforeCommit = (collection, partition, writes) =>
        {
            if (!crashed && collection == Collection.Runs && writes.Any(w => w.Id == CountBook.RowsId(2)))
            {
                crashed = true;
                throw new StoreUnavailableException("in-memory store", "crash while recording the count's rows");
            }
        };
        await Assert.ThrowsAnyAsync<Exception>(() => app.StockCount.SubmitAsync(new CountCommand("big-count", rows)));
        Assert.True(crashed);

        // The client sends the same rows again, exported in the other order.
        var reordered = rows.Reverse().Select((r, i) => r with { Line = i + 2 }).ToArray();
        var answer = await app.StockCount.SubmitAsync(new CountCommand("big-count", reordered));

        Assert.Equal(CountState.Completed, answer.Status!.Status);
        Assert.Equal(200, answer.Status.Results.Select(r => (r.ProductId, r.LocationId)).Distinct().Count());
        Assert.Equal(3, (await app.Stock.GetStockAsync("p1")).QuantityOnHand);
    }
}
