using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review: the open-saga entry <c>change|{orderId}</c> is shared by every change of an order. A change that ends
/// looks for pending intents of the order, then reads the entry and removes it under the ETag it just read. A second
/// change of the same order that enlisted between those two reads (its upsert is the version read) and records its intent
/// after the look for pending intents has its entry removed: if it then dies before its end, <see cref="RecoverOrders"/>
/// never finds it, and what it recorded stays pending with the stock still reserved.
/// </summary>
public class ChangeSagaEntryKeptForAChangeRecordedMeanwhileTests
{
    private const string OrderId = "O-1";

    /// <summary>Steers the interleaving: the first change's look for pending intents starts the second change and waits until it is about to record its intent.</summary>
    private sealed class Steered(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource secondAtIntent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource releaseSecond = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Func<Task>? StartSecond { get; set; }
        public volatile bool HoldSecondIntent;
        public volatile bool FailProductB;

        public void ReleaseSecond() => releaseSecond.TrySetResult();

        public override async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default)
        {
            var page = await base.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
            if (collection == Collection.Orders && partition == OrderId && idPrefix == OrderHeaders.OpenIntentPrefix && StartSecond is { } start)
            {
                StartSecond = null;
                HoldSecondIntent = true;
                _ = Task.Run(start, CancellationToken.None);
                await secondAtIntent.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            return page;
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (HoldSecondIntent && collection == Collection.Orders && partition == OrderId
                && writes.Any(w => w is DocumentWrite.Create c && c.Id.StartsWith(OrderHeaders.IntentPrefix, StringComparison.Ordinal)))
            {
                HoldSecondIntent = false;
                secondAtIntent.TrySetResult();
                await releaseSecond.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            if (FailProductB && collection == Collection.Products && partition == "B")
                throw new StoreUnavailableException("test", "The process died before the product's step (test).");
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_change_recorded_while_another_change_of_the_order_ends_is_still_finished_by_recovery()
    {
        var memory = new InMemoryDocumentStore();
        var store = new Steered(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]));

        Task<ReservationView>? second = null;
        store.StartSecond = () => second = s.App.Release.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("B")], Reference: "R2"));
        await s.App.Release.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("A")], Reference: "R1")); // ends while R2 enlists
        Assert.NotNull(second);
        store.FailProductB = true; // R2's process dies after its intent, before its product's step
        store.ReleaseSecond();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => second!);
        store.FailProductB = false;

        var recovery = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await recovery.RecoverOrders.ExecuteAsync();

        Assert.Empty(await recovery.Orders.OpenIntentsAsync(OrderId, default)); // R2 finished, not left pending
        Assert.Equal(0, (await recovery.Stock.GetStockAsync("B")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
