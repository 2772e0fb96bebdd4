using Inventory.Application.Purchasing;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Found in review: <c>PurchaseOrderSending.SendAsync</c> publishes the reorder first and only then marks it SENT. When
/// the publish goes out but its answer is lost (or the process dies, or the SENT update fails), the supplier holds the
/// order while the store keeps it DRAFT until some later trigger or the next night's scan re-sends it. The supplier's
/// <c>Confirmed</c> event arriving meanwhile meets a DRAFT order: <c>PurchaseOrder.Confirm</c> allows only SENT, so
/// <c>HandlePurchaseOrderEvent</c> throws <c>invalid-transition</c>, which <c>MessageFailure</c> classes as poison: the
/// supplier's confirmation is quarantined, the order never becomes CONFIRMED by itself, and every receipt against it is
/// then refused (receipts need CONFIRMED or PARTIAL) and quarantined too. The same refusal hits a manual order whose
/// supplier events arrive out of order (Service Bus queues without sessions do not keep order, and a Sent abandoned on a
/// transient failure is redelivered after the Confirmed that followed it): Confirmed before Sent is quarantined and lost.
/// </summary>
public class ASuppliersConfirmOfAnOrderItHoldsIsAcceptedTests
{
    [Fact]
    public async Task A_confirm_for_a_reorder_published_but_not_yet_marked_sent_is_not_refused_as_poison()
    {
        var memory = new InMemoryDocumentStore();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(memory, clock)
        {
            ReplenishmentOptions = new ReplenishmentOptions { DefaultWarehouseId = "W1" },
            Publisher = new AnswerLostOnce(new OutboxPublisher(memory)),
        };
        var r = new ReplenishmentScenario { App = app, Clock = clock };
        await new StockScenario(app).WarehouseAsync("W1");
        await new StockScenario(app).LocationAsync("W1", "L1");
        await r.ProductAsync("A", stock: 5, reorderPoint: 10);

        // The message reaches purchase-orders, its answer does not: the trigger fails, the order stays DRAFT.
        await Assert.ThrowsAsync<TimeoutException>(() => app.Reorder.AfterDropAsync("A"));
        var published = Assert.Single(await app.Outbox.ListAsync());
        Assert.Equal(PurchaseOrderStatus.Draft, (await app.PurchaseOrders.GetAsync(published.PoId)).Status);

        // The supplier, who received the order, confirms it.
        clock.Advance(TimeSpan.FromMinutes(5));
        var refused = await Record.ExceptionAsync(() => app.HandlePurchaseOrderEvent.ExecuteAsync(
            new PurchaseOrderEvent("ev-confirm-1", published.PoId, PurchaseOrderEventType.Confirmed, clock.GetUtcNow())));

        Assert.False(refused is InvalidTransitionException,
            $"the supplier's confirmation of an order it was sent is refused as poison: {refused?.Message}");
        if (refused is null) Assert.Equal(PurchaseOrderStatus.Confirmed, (await app.PurchaseOrders.GetAsync(published.PoId)).Status);
    }

    [Fact]
    public async Task Supplier_events_delivered_out_of_order_still_leave_the_order_confirmed()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(new InMemoryDocumentStore(), clock);
        var r = new ReplenishmentScenario { App = app, Clock = clock };
        await new StockScenario(app).WarehouseAsync("W1");
        await new StockScenario(app).LocationAsync("W1", "L1");
        await r.ProductAsync("A", stock: 100, auto: false);
        await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO-7", "SUP-1", "W1", new DateOnly(2026, 12, 10),
            [new Inventory.Application.Orders.OrderLine("A", 20)]));

        var sent = new PurchaseOrderEvent("ev-sent", "PO-7", PurchaseOrderEventType.Sent, clock.GetUtcNow());
        var confirmed = new PurchaseOrderEvent("ev-confirmed", "PO-7", PurchaseOrderEventType.Confirmed, clock.GetUtcNow().AddMinutes(1));

        // Confirmed is delivered first; a transient refusal would be redelivered after Sent, a poison one is quarantined.
        var first = await Record.ExceptionAsync(() => app.HandlePurchaseOrderEvent.ExecuteAsync(confirmed));
        Assert.False(first is InvalidTransitionException, $"the supplier's Confirmed, delivered before its Sent, is refused as poison: {first?.Message}");
        await app.HandlePurchaseOrderEvent.ExecuteAsync(sent);
        if (first is not null) await app.HandlePurchaseOrderEvent.ExecuteAsync(confirmed); // Service Bus redelivers a transient failure

        Assert.Equal(PurchaseOrderStatus.Confirmed, (await app.PurchaseOrders.GetAsync("PO-7")).Status);
    }

    /// <summary>The first publish goes out, then its answer is lost (the caller sees a timeout).</summary>
    private sealed class AnswerLostOnce(IPurchaseOrderPublisher inner) : IPurchaseOrderPublisher
    {
        private int calls;

        public async Task PublishAsync(PurchaseOrder order, CancellationToken ct = default)
        {
            await inner.PublishAsync(order, ct);
            if (Interlocked.Increment(ref calls) == 1) throw new TimeoutException("Service Bus accepted the message; its answer was lost");
        }
    }
}
