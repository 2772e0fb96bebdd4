using Inventory.Application.Counts;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: the takeover of a count still receiving (<c>RecordedCounts.AcceptAsync</c>) keeps as its ETag what
/// <c>CountBook.ReplaceAsync</c> answers, and that is the ETag of a second read of the header after the commit, not of
/// the takeover's own write. A retry of the same send (same order, so no takeover of its own) that records, runs and
/// completes the count before that read leaves the slow send holding the ETag of the completed header: its
/// "Receiving → Pending" write, meant to fail against any newer header, then succeeds and puts back a fresh Pending
/// header (no progress, no outcomes). The count is no longer completed, and every later run fails on the outcome
/// documents already there: it never completes again.
/// </summary>
public class ACountTakeoverWhoseHeaderWasMovedOnBeforeItsETagReadLeavesTheCountCompletedTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>After the takeover's header commit, holds the next header read (the takeover's ETag read) until <see cref="Meanwhile"/> ran.</summary>
    private sealed class SlowAfterTakeover(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Task>? Meanwhile;
        private int armed;

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            if (Meanwhile is not null && collection == Collection.Runs
                && writes.Any(w => w is DocumentWrite.Replace r && r.Id == CountBook.Header && r.Body.Contains("\"generation\":1,", StringComparison.Ordinal)
                                   && r.Body.Contains("\"state\":\"receiving\"", StringComparison.Ordinal)))
                Interlocked.CompareExchange(ref armed, 1, 0);
        }

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Runs && ids.Contains(CountBook.Header) && Interlocked.CompareExchange(ref armed, 2, 1) == 1)
                await Meanwhile!();
            return await base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_takeover_slowed_after_its_commit_while_its_retry_completes_the_count_leaves_it_completed()
    {
        var memory = HalfRecordedCount.Store();
        var store = new SlowAfterTakeover(memory);
        var clock = new ManualClock(Start);
        var (app, rows) = await HalfRecordedCount.CreateAsync(memory, store, clock);

        // The same rows in the other order take the count over, and that send stalls right after its takeover commit;
        // its client, tired of waiting, sends the same file again, which records and applies the whole count.
        var reordered = HalfRecordedCount.Reordered(rows);
        CountAnswer? retried = null;
        store.Meanwhile = async () => retried = await app.StockCount.SubmitAsync(new CountCommand("big-count", reordered));
        await app.StockCount.SubmitAsync(new CountCommand("big-count", reordered));
        Assert.Equal(CountState.Completed, retried!.Status!.Status);

        // Whatever the stalled send did after, the count stays completed (or the timer completes it again).
        clock.Advance(TimeSpan.FromHours(1));
        await app.RecordedCounts.ResumeOpenAsync();
        var status = await app.RecordedCounts.StatusAsync("big-count", null, 1_000);
        Assert.Equal((CountState.Completed, 200), (status.Status, status.ProcessedRows));
        Assert.Equal(3, (await app.Stock.GetStockAsync("p1")).QuantityOnHand);
    }
}
