using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review (supplier events out of order). A purchase order sent, then cancelled; the supplier's <c>Sent</c>
/// (abandoned on a transient failure, or simply slower) arrives after the <c>Cancelled</c>. It says nothing the order
/// does not know already: the order was sent before it was cancelled. It was refused as an invalid transition and
/// quarantined, so the operator on call was asked to look at a message that needs nothing. A <c>Sent</c> of a cancelled
/// order is now one the order is already past, as a <c>Sent</c> after <c>Confirmed</c> is. A <c>Confirmed</c> after the
/// cancellation is still refused (the supplier may ship a cancelled order: someone must call them).
/// </summary>
public class ALateSentAfterACancellationChangesNothingTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_sent_after_the_cancellation_is_already_past()
    {
        var s = await CancelledAsync();

        var order = await s.App.HandlePurchaseOrderEvent.ExecuteAsync(new PurchaseOrderEvent("ev-sent", "PO7", PurchaseOrderEventType.Sent, At.AddHours(2)));

        Assert.Equal(PurchaseOrderStatus.Cancelled, order.Status);
    }

    [Fact]
    public async Task A_confirmation_after_the_cancellation_is_still_refused()
    {
        var s = await CancelledAsync();

        await Assert.ThrowsAsync<InvalidTransitionException>(() =>
            s.App.HandlePurchaseOrderEvent.ExecuteAsync(new PurchaseOrderEvent("ev-conf", "PO7", PurchaseOrderEventType.Confirmed, At.AddHours(2))));
        Assert.Equal(PurchaseOrderStatus.Cancelled, (await s.App.PurchaseOrders.GetAsync("PO7")).Status);
    }

    private static async Task<StockScenario> CancelledAsync()
    {
        var (s, _) = await ReceivingScenario.CreateAsync();
        await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO7", "S1", "W1", new DateOnly(2026, 12, 9), [new OrderLine("A", 5)]));
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO7", PurchaseOrderAction.Send);
        await s.App.HandlePurchaseOrderEvent.ExecuteAsync(new PurchaseOrderEvent("ev-cancel", "PO7", PurchaseOrderEventType.Cancelled, At.AddHours(1)));
        return s;
    }
}
