using Inventory.Application.Orders;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review: a claim that landed while its answer was lost (the Azure Table SDK retries the transaction, and the
/// retry answers "already exists") is read as another request's claim. <see cref="ClaimBatches"/> takes the shared
/// transaction's conflict for "one of them existed, nothing was written", sends each claim again alone, and every order
/// of the batch finds its own header: each request answers as a replay (200, "already-reserved" for Shopify, metrics
/// "replayed") and, for an order of one product, waits out its own claim (the exclusive time plus the clock skew, 3 s)
/// polling the header and the hot product, as if another request were reserving it.
/// </summary>
public class ClaimWhoseAnswerWasLostStaysTheClaimantsTests
{
    /// <summary>Holds the first claim-bucket commit until released; the commits named by <see cref="LoseAnswer"/> land, then answer as the SDK's retry does.</summary>
    private sealed class LostAnswers(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int holding;
        public Func<IReadOnlyList<DocumentWrite>, bool> LoseAnswer { get; set; } = _ => false;
        public Task Held => held.Task;
        public void HoldFirst() => holding = 1;
        public void Release() => release.TrySetResult();

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            if (collection != Collection.Orders || !partition.StartsWith(OrderHeaders.HeaderPartitionPrefix, StringComparison.Ordinal))
            {
                await base.CommitAsync(collection, partition, writes, ct);
                return;
            }
            if (Interlocked.Exchange(ref holding, 0) == 1)
            {
                held.TrySetResult();
                await release.Task;
            }
            await base.CommitAsync(collection, partition, writes, ct);
            if (LoseAnswer(writes)) throw new CommitConflictException(ConflictKind.AlreadyExists, writes[0].Id); // the retry's answer
        }
    }

    private static string[] SameBucket(int count) =>
        Enumerable.Range(0, 10_000).Select(i => $"O-{i}")
            .Where(id => OrderHeaders.HeaderPartition(id) == OrderHeaders.HeaderPartition("O-0")).Take(count).ToArray();

    [Fact]
    public async Task Each_claim_of_a_shared_transaction_whose_answer_was_lost_is_created_by_its_own_request()
    {
        var store = new LostAnswers(new InMemoryDocumentStore());
        var headers = new OrderHeaders(store);
        var ids = SameBucket(5);
        store.LoseAnswer = writes => writes.Count > 1;
        store.HoldFirst();

        var first = headers.ClaimAsync(OrderClaimBatchTests.Header(ids[0]), default);
        await store.Held;
        var shared = ids.Skip(1).Select(id => headers.ClaimAsync(OrderClaimBatchTests.Header(id), default)).ToArray();
        store.Release();

        Assert.True((await first).Created);
        Assert.All(await Task.WhenAll(shared), c => Assert.True(c.Created)); // no other request ever claimed them
    }

    [Fact]
    public async Task A_one_product_order_whose_claim_landed_unheard_is_reserved_at_once_as_created()
    {
        var store = new LostAnswers(new InMemoryDocumentStore());
        var s = await StockScenario.TwoProductsAsync(store);
        store.LoseAnswer = writes => writes.Any(w => w.Id == "O-LOST");

        var result = await s.App.Reserve.ExecuteAsync(new ReserveCommand("O-LOST", [new("A", 2)]));

        // Created: it reserved at once as the claimant (a replay of itself waited out its own claim, 3 s, polling).
        Assert.True(result.Created, "the request that claimed the order answered as a replay of itself");
        Assert.Equal(2, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }
}
