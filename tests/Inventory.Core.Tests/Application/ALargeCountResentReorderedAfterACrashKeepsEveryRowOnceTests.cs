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
        var (app, rows) = await HalfRecordedCount.CreateAsync(HalfRecordedCount.Store());

        // The client sends the same rows again, exported in the other order.
        var answer = await app.StockCount.SubmitAsync(new CountCommand(HalfRecordedCount.CountId, HalfRecordedCount.Reordered(rows)));

        Assert.Equal(CountState.Completed, answer.Status!.Status);
        Assert.Equal(200, answer.Status.Results.Select(r => (r.ProductId, r.LocationId)).Distinct().Count());
        Assert.Equal(3, (await app.Stock.GetStockAsync("p1")).QuantityOnHand);
    }

    [Theory]
    [InlineData(FaultSide.BeforeApplying)]
    [InlineData(FaultSide.LostAcknowledgement)]
    public async Task A_takeover_that_crashed_at_its_header_write_is_finished_by_its_retry(FaultSide side)
    {
        var memory = HalfRecordedCount.Store();
        var (app, rows) = await HalfRecordedCount.CreateAsync(memory);
        var reordered = HalfRecordedCount.Reordered(rows);

        // The takeover's header write (generation 1, still receiving) crashes before it lands, or after (its answer lost).
        var crashed = false;
        void Crash(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes)
        {
            if (crashed || collection != Collection.Runs || !writes.Any(w => w is DocumentWrite.Replace r && r.Id == CountBook.Header
                    && r.Body.Contains("\"generation\":1,", StringComparison.Ordinal))) return;
            crashed = true;
            throw new StoreUnavailableException("in-memory store", "crash at the takeover's header write");
        }
        if (side == FaultSide.BeforeApplying) memory.BeforeCommit = Crash; else memory.AfterCommit = Crash;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => app.StockCount.SubmitAsync(new CountCommand(HalfRecordedCount.CountId, reordered)));
        Assert.True(crashed);
        (memory.BeforeCommit, memory.AfterCommit) = (null, null);

        var answer = await app.StockCount.SubmitAsync(new CountCommand(HalfRecordedCount.CountId, reordered));

        Assert.Equal((CountState.Completed, 200), (answer.Status!.Status, answer.Status.ProcessedRows));
        Assert.Equal(200, answer.Status.Results.Select(r => (r.ProductId, r.LocationId)).Distinct().Count());
        Assert.Equal(3, (await app.Stock.GetStockAsync("p1")).QuantityOnHand);
    }
}
