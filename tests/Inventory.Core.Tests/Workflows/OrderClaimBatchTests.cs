using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Issue 14: at 64 clients on one hot product, nearly all of the store's work was the order headers' inserts, one request
/// per order in the order's own partition, which no batch could share. Headers now live in claim buckets, and the claims
/// that arrive while a claim of their bucket is in flight go together, as one transaction, when it ends.
/// </summary>
public class OrderClaimBatchTests
{
    /// <summary>Holds the first commit to a claim bucket until released; counts every commit to the buckets.</summary>
    private sealed class HeldClaims(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int holding = 1;
        public List<int> ClaimCommits { get; } = [];
        public Func<IReadOnlyList<DocumentWrite>, Exception?>? Fail { get; set; }
        public Task Held => held.Task;
        public void Release() => release.TrySetResult();

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            if (collection == Collection.Orders && partition.StartsWith(OrderHeaders.HeaderPartitionPrefix, StringComparison.Ordinal))
            {
                lock (ClaimCommits) ClaimCommits.Add(writes.Count);
                if (Interlocked.Exchange(ref holding, 0) == 1)
                {
                    held.TrySetResult();
                    await release.Task;
                }
                if (Fail?.Invoke(writes) is { } e) throw e;
            }
            await base.CommitAsync(collection, partition, writes, ct);
        }
    }

    /// <summary>Order ids whose headers share one claim bucket.</summary>
    private static string[] SameBucket(int count, string bucketOf = "O-0") =>
        Enumerable.Range(0, 10_000).Select(i => $"O-{i}")
            .Where(id => OrderHeaders.HeaderPartition(id) == OrderHeaders.HeaderPartition(bucketOf)).Take(count).ToArray();

    internal static OrderRecord Header(string orderId, string fingerprint = "f") => new()
    {
        OrderId = orderId, Fingerprint = fingerprint, Lines = [new("A", 1)], CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public async Task Claims_that_arrive_while_their_bucket_commits_go_together_in_one_transaction()
    {
        var store = new HeldClaims(new InMemoryDocumentStore());
        var headers = new OrderHeaders(store);
        var ids = SameBucket(9);

        var first = headers.ClaimAsync(Header(ids[0]), default);
        await store.Held;
        var others = ids.Skip(1).Select(id => headers.ClaimAsync(Header(id), default)).ToArray();
        store.Release();
        var claimed = await Task.WhenAll(others.Prepend(first));

        Assert.All(claimed, c => Assert.True(c.Created));
        Assert.Equal([1, 8], store.ClaimCommits); // before: nine inserts, one request each
        foreach (var id in ids) Assert.Equal(id, (await new OrderHeaders(store).GetAsync(id, default)).OrderId);
    }

    [Fact]
    public async Task A_lone_claim_goes_at_once_and_claims_of_other_buckets_do_not_wait_for_it()
    {
        var store = new HeldClaims(new InMemoryDocumentStore());
        var headers = new OrderHeaders(store);
        var other = Enumerable.Range(0, 100).Select(i => $"X-{i}").First(id => OrderHeaders.HeaderPartition(id) != OrderHeaders.HeaderPartition("O-0"));

        var held = headers.ClaimAsync(Header("O-0"), default);
        await store.Held;
        var (_, created) = await headers.ClaimAsync(Header(other), default); // would hang if it queued behind the held bucket

        Assert.True(created);
        store.Release();
        Assert.True((await held).Created);
        Assert.Equal([1, 1], store.ClaimCommits);
    }

    [Fact]
    public async Task A_claim_held_up_by_a_stalled_commit_goes_alone_after_its_wait()
    {
        var store = new HeldClaims(new InMemoryDocumentStore());
        var headers = new OrderHeaders(store, new ConcurrencyOptions { ClaimMaxWait = TimeSpan.FromMilliseconds(50) });
        var ids = SameBucket(2);

        var stalled = headers.ClaimAsync(Header(ids[0]), default);
        await store.Held;
        var (_, created) = await headers.ClaimAsync(Header(ids[1]), default).WaitAsync(TimeSpan.FromSeconds(30)); // not the release

        Assert.True(created);
        Assert.False(stalled.IsCompleted);
        store.Release();
        Assert.True((await stalled).Created);
        Assert.Equal([1, 1], store.ClaimCommits);
        Assert.NotNull(await headers.FindAsync(ids[1], default));
    }

    [Fact]
    public async Task A_retried_order_among_them_is_found_and_does_not_refuse_the_others()
    {
        var store = new HeldClaims(new InMemoryDocumentStore());
        var headers = new OrderHeaders(store);
        var ids = SameBucket(5);
        store.Release();
        await headers.ClaimAsync(Header(ids[1]), default); // claimed before: its retry comes with the others
        var held = new HeldClaims(store.Inner);
        headers = new OrderHeaders(held);

        var first = headers.ClaimAsync(Header(ids[0]), default);
        await held.Held;
        var retry = headers.ClaimAsync(Header(ids[1]), default);
        var conflict = headers.ClaimAsync(Header(ids[1], fingerprint: "other lines"), default);
        var rest = ids.Skip(2).Select(id => headers.ClaimAsync(Header(id), default)).ToArray();
        held.Release();

        Assert.True((await first).Created);
        Assert.False((await retry).Created);
        await Assert.ThrowsAsync<OrderConflictException>(() => conflict);
        Assert.All(await Task.WhenAll(rest), c => Assert.True(c.Created));
        foreach (var id in ids) Assert.NotNull(await new OrderHeaders(store.Inner).FindAsync(id, default));
    }

    [Fact]
    public async Task A_claim_whose_caller_left_before_its_turn_is_not_written()
    {
        var store = new HeldClaims(new InMemoryDocumentStore());
        var headers = new OrderHeaders(store);
        var ids = SameBucket(3);
        using var leaving = new CancellationTokenSource();

        var first = headers.ClaimAsync(Header(ids[0]), default);
        await store.Held;
        var left = headers.ClaimAsync(Header(ids[1]), leaving.Token);
        var stays = headers.ClaimAsync(Header(ids[2]), default);
        await leaving.CancelAsync();
        store.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        Assert.True((await first).Created);
        Assert.True((await stays).Created);
        Assert.Null(await new OrderHeaders(store).FindAsync(ids[1], default));
        Assert.Equal([1, 1], store.ClaimCommits);
    }

    [Fact]
    public async Task A_shared_claim_the_store_fails_fails_each_of_its_orders_and_writes_none()
    {
        var store = new HeldClaims(new InMemoryDocumentStore());
        var headers = new OrderHeaders(store);
        var ids = SameBucket(4);
        store.Fail = writes => writes.Count > 1 ? new StoreUnavailableException("test", "The store did not answer (test).") : null;

        var first = headers.ClaimAsync(Header(ids[0]), default);
        await store.Held;
        var shared = ids.Skip(1).Select(id => headers.ClaimAsync(Header(id), default)).ToArray();
        store.Release();

        Assert.True((await first).Created);
        foreach (var claim in shared) await Assert.ThrowsAsync<StoreUnavailableException>(() => claim);
        foreach (var id in ids.Skip(1)) Assert.Null(await headers.FindAsync(id, default));
        store.Fail = null;
        foreach (var id in ids.Skip(1)) Assert.True((await headers.ClaimAsync(Header(id), default)).Created); // the callers' retries
    }

    [Fact]
    public async Task Concurrent_orders_of_one_hot_product_claim_in_shared_transactions_and_the_books_balance()
    {
        var store = new HeldClaims(new InMemoryDocumentStore());
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 100);
        var ids = SameBucket(12);

        var first = s.App.Reserve.ExecuteAsync(new ReserveCommand(ids[0], [new("A", 1)]));
        await store.Held;
        var others = ids.Skip(1).Select(id => s.App.Reserve.ExecuteAsync(new ReserveCommand(id, [new("A", 1)]))).ToArray();
        store.Release();
        var results = await Task.WhenAll(others.Prepend(first));

        Assert.All(results, r => Assert.Equal(OrderReservationStatus.Reserved, r.Reservation.Status));
        Assert.True(store.ClaimCommits.Count < ids.Length, $"{store.ClaimCommits.Count} claim commits for {ids.Length} orders");
        Assert.Equal(12, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        foreach (var id in ids) Assert.Equal(OrderReservationStatus.Reserved, (await s.App.Orders.ViewAsync(id, default)).Status);
        await s.AssertBooksBalanceAsync("A");
    }
}
