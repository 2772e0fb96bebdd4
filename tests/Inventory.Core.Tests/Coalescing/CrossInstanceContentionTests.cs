using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Issue 14: instances of a scaled-out app race each other on a hot product. A batch that loses should come back with
/// what queued behind it meanwhile (one commit, not two), and the product's gathering window should widen while it
/// loses and narrow once it wins.
/// </summary>
public class CrossInstanceContentionTests
{
    [Fact]
    public async Task A_batch_that_loses_a_race_to_another_instance_retries_with_the_requests_queued_meanwhile()
    {
        var (p, committed, conflicts) = await LoseOneRaceAsync(new ConcurrencyOptions());
        Assert.Equal(1, committed); // O1 retried together with O2..O5
        Assert.Equal(1, conflicts);
        Assert.Equal(6, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved); // five here, one by the other instance
        Assert.True(p.App.Committer.Queues.Contention.IsContended(HotProduct.Id));
        Assert.Empty((await p.App.Invariants.CheckAsync(HotProduct.Id)).Violations);
    }

    [Fact]
    public async Task Without_the_adaptive_window_the_lost_batch_retries_alone()
    {
        var (p, committed, conflicts) = await LoseOneRaceAsync(new ConcurrencyOptions { AdaptiveWindow = false });
        Assert.Equal(2, committed); // O1 alone, then O2..O5
        Assert.Equal(1, conflicts);
        Assert.Equal(6, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
        Assert.False(p.App.Committer.Queues.Contention.IsContended(HotProduct.Id));
    }

    [Fact]
    public void A_race_lost_quicker_than_the_base_window_still_widens_it()
    {
        // The attempt's own time is the usual floor; on a quick store it can be below the base window, and a loss
        // must still mark the product contended (this made the race test above flaky on an idle machine).
        var contention = new ProductContention(new ConcurrencyOptions { CoalescingWindow = TimeSpan.FromMilliseconds(2) });
        contention.Lost("P", TimeSpan.FromMilliseconds(0.3));
        Assert.True(contention.IsContended("P"));
        Assert.Equal(4, contention.Window("P").TotalMilliseconds, 3);
        contention.Won("P"); // one win narrows by a quarter and is still above the base
        Assert.True(contention.IsContended("P"));
    }

    [Fact]
    public void A_batch_that_lost_twice_waits_half_as_long_as_one_that_lost_once()
    {
        var contention = new ProductContention(new ConcurrencyOptions { MaxCoalescingWindow = TimeSpan.FromMilliseconds(80) });
        contention.Lost("P", TimeSpan.FromMilliseconds(80));
        for (var i = 0; i < 50; i++)
        {
            Assert.InRange(contention.Backoff("P", attempt: 2).TotalMilliseconds, 40, 120); // about one window
            Assert.InRange(contention.Backoff("P", attempt: 3).TotalMilliseconds, 20, 60);  // half of it: it goes first
            Assert.InRange(contention.Backoff("P", attempt: 9).TotalMilliseconds, 20, 60);
        }
    }

    [Fact]
    public void The_window_widens_while_races_are_lost_and_narrows_back_once_they_are_won()
    {
        var contention = new ProductContention(new ConcurrencyOptions
        {
            CoalescingWindow = TimeSpan.FromMilliseconds(2), MaxCoalescingWindow = TimeSpan.FromMilliseconds(50),
        });
        Assert.Equal(TimeSpan.FromMilliseconds(2), contention.Window("P"));
        Assert.False(contention.IsContended("P"));

        contention.Lost("P", TimeSpan.FromMilliseconds(12)); // at least what the lost attempt took
        Assert.Equal(12, contention.Window("P").TotalMilliseconds, 3);
        contention.Lost("P", TimeSpan.FromMilliseconds(5)); // doubling
        Assert.Equal(24, contention.Window("P").TotalMilliseconds, 3);
        contention.Lost("P", TimeSpan.FromMilliseconds(5));
        contention.Lost("P", TimeSpan.FromMilliseconds(5));
        Assert.Equal(50, contention.Window("P").TotalMilliseconds, 3); // capped
        Assert.True(contention.IsContended("P"));
        Assert.False(contention.IsContended("Q")); // per product
        var backoff = contention.Backoff("P", attempt: 2).TotalMilliseconds;
        Assert.InRange(backoff, 25, 75);

        contention.Won("P");
        Assert.Equal(37.5, contention.Window("P").TotalMilliseconds, 3);
        for (var i = 0; i < 20; i++) contention.Won("P");
        Assert.Equal(TimeSpan.FromMilliseconds(2), contention.Window("P"));
        Assert.False(contention.IsContended("P"));
    }

    /// <summary>
    /// Holds O1's commit in flight while O2..O5 queue behind it; when it is let go, another instance (a second
    /// application over the same store) commits a reservation first, so O1's batch loses the race. Returns how many
    /// product commits this instance then made and how many races it lost.
    /// </summary>
    private static async Task<(HotProduct P, int Committed, long Conflicts)> LoseOneRaceAsync(ConcurrencyOptions options)
    {
        RacingStore? racing = null;
        var p = await HotProduct.CreateAsync(options, underGate: s => racing = new RacingStore(s));
        var other = new InventoryApplication(p.Memory, new ManualClock(HotProduct.Now));
        racing!.BeforeNextProductCommit = () => other.Reserve.ExecuteAsync(new ReserveCommand("Other", [new(HotProduct.Id, 1)]));
        var commitsBefore = p.Store.ProductCommits.Count;
        var conflictsBefore = p.App.Statistics.Conflicts;

        p.Store.Close();
        var first = p.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(HotProduct.Id, 1)]));
        await p.Store.Blocked.WaitAsync(TimeSpan.FromMinutes(1));
        var queued = Enumerable.Range(2, 4).Select(i => p.App.Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(HotProduct.Id, 1)]))).ToArray();
        Assert.Equal(4, p.App.Committer.Queues.Waiting(HotProduct.Id));
        p.Store.Open();
        await Task.WhenAll(queued.Prepend(first)).WaitAsync(TimeSpan.FromMinutes(1));

        return (p, p.Store.ProductCommits.Count - commitsBefore, p.App.Statistics.Conflicts - conflictsBefore);
    }

    /// <summary>Runs another instance's work just before the next product commit reaches the store, so that commit loses its race.</summary>
    private sealed class RacingStore(IDocumentStore inner) : IDocumentStore
    {
        public Func<Task>? BeforeNextProductCommit { get; set; }
        public StoreLimits Limits => inner.Limits;

        public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Products && BeforeNextProductCommit is { } race)
            {
                BeforeNextProductCommit = null;
                await race();
            }
            await inner.CommitAsync(collection, partition, writes, cancellationToken);
        }

        public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);

        public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default) => inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);

        public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
            int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
            inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

        public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default) => inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }
}
