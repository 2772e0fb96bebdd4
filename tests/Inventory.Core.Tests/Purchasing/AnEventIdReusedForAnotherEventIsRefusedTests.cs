using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review (same defect as 27f8658/703c32e, elsewhere): <c>HandlePurchaseOrderEvent</c> takes any event whose
/// <c>eventId</c> the order remembers (<c>PurchaseOrder.AppliedEvents</c>, ids only) as a redelivery, whatever it says.
/// A supplier's <c>Cancelled</c> sent under the id of its earlier <c>Confirmed</c> (a system restarting its numbering:
/// the case the receipt fix was made for) is answered as applied, the message completed and not quarantined, and the
/// purchase order stays CONFIRMED: the cancellation is lost silently and the goods are still expected. A PO receipt
/// reusing an id for other goods is now refused as <c>reference-conflict</c>; an event should be too. A fix: remember
/// each event's type with its id (e.g. <c>AppliedEvents</c> entries <c>{eventId}|{type}</c>, or a map) and refuse a
/// remembered id carrying another type with <see cref="ReferenceConflictException"/>.
/// </summary>
public class AnEventIdReusedForAnotherEventIsRefusedTests
{
    [Fact]
    public async Task A_cancellation_under_the_id_of_an_applied_confirmation_is_refused_not_swallowed()
    {
        var (s, _) = await ReceivingScenario.CreateAsync();
        await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO2", "S1", "W1", new DateOnly(2026, 12, 9), [new OrderLine("A", 5)]));
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO2", PurchaseOrderAction.Send);
        var at = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var confirmed = await s.App.HandlePurchaseOrderEvent.ExecuteAsync(new PurchaseOrderEvent("ev-1", "PO2", PurchaseOrderEventType.Confirmed, at));
        Assert.Equal(PurchaseOrderStatus.Confirmed, confirmed.Status);

        var error = await Record.ExceptionAsync(() =>
            s.App.HandlePurchaseOrderEvent.ExecuteAsync(new PurchaseOrderEvent("ev-1", "PO2", PurchaseOrderEventType.Cancelled, at.AddHours(1))));

        var status = (await s.App.PurchaseOrders.GetAsync("PO2")).Status;
        Assert.True(error is ReferenceConflictException,
            $"a Cancelled event reusing the id of the applied Confirmed 'ev-1' was answered {(error is null ? "as applied" : error.GetType().Name)}, "
            + $"and PO2 is {status}: the cancellation is neither applied nor refused (its message would be completed, not quarantined)");
    }
}
