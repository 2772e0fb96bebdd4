using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Claim batches under load (from a review): 1,500 claims of 500 ids from the thread pool, some cancelled, over a store
/// that answers after a random delay. None hangs, and each id is created at most once, exactly when its header exists.
/// </summary>
public class ConcurrentClaimsCreateEachOrderOnceTests
{
    private sealed class SlowStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            await Task.Delay(Random.Shared.Next(0, 3), CancellationToken.None);
            await base.CommitAsync(collection, partition, writes, ct);
        }
    }


    [Fact]
    public async Task Concurrent_claims_with_duplicates_and_cancellations_each_id_created_once_and_none_hang()
    {
        var inner = new InMemoryDocumentStore();
        var headers = new OrderHeaders(new SlowStore(inner));
        var calls = new List<(string Id, Task<(OrderRecord, bool)> Task)>();
        var sources = new List<CancellationTokenSource>();
        for (var i = 0; i < 1500; i++)
        {
            var id = $"O-{i % 500}";
            var cts = new CancellationTokenSource();
            sources.Add(cts);
            calls.Add((id, Task.Run(() => headers.ClaimAsync(OrderClaimBatchTests.Header(id), cts.Token))));
            if (i % 7 == 0) cts.CancelAfter(Random.Shared.Next(0, 3));
        }
        var all = Task.WhenAll(calls.Select(c => (Task)c.Task.ContinueWith(_ => { })));
        Assert.True(await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60), CancellationToken.None)) == all, "some claims never completed");
        foreach (var group in calls.GroupBy(c => c.Id))
        {
            var created = group.Count(c => c.Task.IsCompletedSuccessfully && c.Task.Result.Item2);
            var exists = (await inner.ReadAsync(Collection.Orders, OrderHeaders.HeaderPartition(group.Key), [group.Key], [])).Count == 1;
            Assert.True(created <= 1, $"{group.Key}: created {created} times");
            Assert.Equal(exists, created == 1);
        }
    }
}
