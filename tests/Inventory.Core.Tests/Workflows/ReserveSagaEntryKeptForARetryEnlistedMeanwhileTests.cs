using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review: recovery removes a <c>reserve|{orderId}</c> entry whose order has no header ("enlisted, then died
/// before the claim") by reading the entry again after its look for the header and deleting the version it reads then.
/// The caller's retry, enlisted (an upsert) after that look and before that read, loses its entry: if it then claims,
/// reserves a product and dies, nothing leads recovery to the saga, and the order stays PENDING with that product reserved.
/// </summary>
public class ReserveSagaEntryKeptForARetryEnlistedMeanwhileTests
{
    private const string OrderId = "O-1";

    private sealed class Steered(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource retryAtClaim = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource releaseRetry = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool FailClaim;
        public volatile bool FailProductB;
        public volatile bool HoldClaim;
        public Func<Task>? StartRetry { get; set; }

        public void ReleaseRetry() => releaseRetry.TrySetResult();

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            var docs = await base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
            if (collection == Collection.Orders && partition == OrderHeaders.HeaderPartition(OrderId) && ids.Contains(OrderId) && StartRetry is { } start)
            {
                StartRetry = null; // recovery's look for the header: the retry enlists now and reaches its claim
                HoldClaim = true;
                _ = Task.Run(start, CancellationToken.None);
                await retryAtClaim.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            return docs;
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Orders && partition == OrderHeaders.HeaderPartition(OrderId))
            {
                if (FailClaim) throw new StoreUnavailableException("test", "The process died before its claim (test).");
                if (HoldClaim)
                {
                    HoldClaim = false;
                    retryAtClaim.TrySetResult();
                    await releaseRetry.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
                }
            }
            if (FailProductB && collection == Collection.Products && partition == "B")
                throw new StoreUnavailableException("test", "The process died after reserving A (test).");
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_retry_enlisted_while_recovery_clears_the_orders_entry_is_still_finished_by_recovery()
    {
        var memory = new InMemoryDocumentStore();
        var store = new Steered(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        var order = new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]);
        store.FailClaim = true;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s.App.Reserve.ExecuteAsync(order)); // enlisted, died before the claim
        store.FailClaim = false;

        // The retry's task is handed over once its call returned (it may still be on its way back when recovery ends).
        var started = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.StartRetry = () =>
        {
            var task = new InventoryApplication(store).Reserve.ExecuteAsync(order);
            started.TrySetResult(task);
            return task;
        };
        var recovery = new InventoryApplication(store) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await recovery.RecoverOrders.ExecuteAsync(); // finds no header, clears the entry while the retry claims
        var retry = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(retry);
        store.FailProductB = true; // the retry dies after reserving A
        store.ReleaseRetry();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => retry!);
        store.FailProductB = false;

        await new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } }.RecoverOrders.ExecuteAsync();

        Assert.Equal(OrderReservationStatus.Reserved, (await recovery.Orders.ViewAsync(OrderId, default)).Status); // not PENDING with A held
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
