using Inventory.Application.Purchasing;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Found in review: <c>PurchaseOrderSending.SendAsync</c> publishes the order as it reads it, whatever its status. A
/// reorder whose publish failed stays DRAFT and is sent again by the next trigger or scan; if an operator cancels it
/// between that trigger's look at the order and the send, the CANCELLED order goes out on purchase-orders as
/// "PurchaseOrderRaised" (here: lands in the outbox), asking the supplier for goods nobody wants.
/// </summary>
public class ACancelledReorderIsNeverPublishedTests
{
    [Fact]
    public async Task A_reorder_cancelled_while_the_next_trigger_sends_it_is_not_published()
    {
        var memory = new InMemoryDocumentStore();
        var store = new CancelOnRead(memory);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(store, clock)
        {
            ReplenishmentOptions = new ReplenishmentOptions { DefaultWarehouseId = "W1" },
            Publisher = new FailsFirst(new OutboxPublisher(memory)),
        };
        store.App = app;
        var r = new ReplenishmentScenario { App = app, Clock = clock };
        await new StockScenario(app).WarehouseAsync("W1");
        await new StockScenario(app).LocationAsync("W1", "L1");
        await r.ProductAsync("A", stock: 5, reorderPoint: 10);

        await Assert.ThrowsAsync<TimeoutException>(() => app.Reorder.AfterDropAsync("A")); // the order is DRAFT, not published
        var draft = Assert.Single((await app.Supplies.ReadAsync("A")).Open);
        Assert.Equal(PurchaseOrderStatus.Draft, draft.Status);

        store.CancelAfterNextRead = draft.PoId; // an operator cancels it while the next trigger is finishing it
        await app.Reorder.AfterDropAsync("A");

        // The failed publish may have reached the supplier (a timeout says nothing), so the order stays "being sent" and the
        // cancel is refused until it is SENT (PurchaseOrder.BeginSending); either way, never cancelled yet raised.
        var stored = await app.PurchaseOrders.GetAsync(draft.PoId);
        Assert.True(store.CancelRefused || stored.Status == PurchaseOrderStatus.Cancelled, "the cancel either landed or was refused");
        Assert.False(stored.Status == PurchaseOrderStatus.Cancelled && (await app.Outbox.ListAsync()).Any(o => o.PoId == draft.PoId),
            $"order {draft.PoId} is cancelled in the store and was published as raised");
        Assert.DoesNotContain(await app.Outbox.ListAsync(), o => o.Status == PurchaseOrderStatus.Cancelled);
    }

    private sealed class FailsFirst(IPurchaseOrderPublisher inner) : IPurchaseOrderPublisher
    {
        private int calls;

        public Task PublishAsync(PurchaseOrder order, CancellationToken ct = default) =>
            Interlocked.Increment(ref calls) == 1 ? throw new TimeoutException("Service Bus did not answer") : inner.PublishAsync(order, ct);
    }

    /// <summary>After the next read of the named order, cancels it (the read returns the order as it was).</summary>
    private sealed class CancelOnRead(IDocumentStore inner) : DelegatingStore(inner)
    {
        public InventoryApplication? App { get; set; }
        public string? CancelAfterNextRead { get; set; }
        public bool CancelRefused { get; private set; }

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            var docs = await base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
            if (collection == Collection.PurchaseOrders && partition == CancelAfterNextRead)
            {
                CancelAfterNextRead = null;
                try { await App!.ChangePurchaseOrderStatus.ExecuteAsync(partition, PurchaseOrderAction.Cancel, CancellationToken.None); }
                catch (InvalidTransitionException) { CancelRefused = true; }
            }
            return docs;
        }
    }
}
