using Inventory.Domain;

namespace Inventory.Application.Purchasing;

public enum PurchaseOrderEventType { Sent, Confirmed, Cancelled }

/// <summary>The message on the purchase-order-events queue.</summary>
public sealed record PurchaseOrderEvent(string EventId, string PoId, PurchaseOrderEventType Type, DateTimeOffset OccurredAt);

/// <summary>
/// Applies a supplier's event to its purchase order. A redelivered event (same eventId), or one the order is already
/// past (Sent after Confirmed or Cancelled), changes nothing. Confirmed on a DRAFT order sends and confirms it: the supplier can only
/// confirm an order it holds, so it was sent (a reorder published whose SENT was not recorded: a lost answer, a crash)
/// or its Sent is late (queues do not keep order). Any other event the state machine refuses is a typed error the
/// caller quarantines.
/// </summary>
public sealed class HandlePurchaseOrderEvent(PurchaseOrderBook book, AfterPurchaseOrderChange? afterChange = null)
{
    private const int RememberedEvents = 50;

    public async Task<PurchaseOrder> ExecuteAsync(PurchaseOrderEvent e, CancellationToken ct = default)
    {
        new Guard().Id("eventId", e.EventId).Id("poId", e.PoId)
            .That(Enum.IsDefined(e.Type), "type", "must be Sent, Confirmed or Cancelled")
            .That(e.OccurredAt != default, "occurredAt", "is required").ThrowIfAny();
        var order = await book.UpdateAsync(e.PoId, po =>
        {
            if (po.AppliedEvents.Contains(e.EventId))
                // Another event under an applied id (events recorded before types were kept have none) is refused, not taken as applied.
                return po.AppliedEventTypes.TryGetValue(e.EventId, out var type) && type != e.Type.ToString() ? throw new ReferenceConflictException(e.EventId) : po;
            if (AlreadyPast(po.Status, e.Type)) return po;
            var moved = e.Type switch
            {
                PurchaseOrderEventType.Sent => po.Send(e.OccurredAt),
                PurchaseOrderEventType.Confirmed when po.Status == PurchaseOrderStatus.Draft => po.Send(e.OccurredAt).Confirm(e.OccurredAt),
                PurchaseOrderEventType.Confirmed => po.Confirm(e.OccurredAt),
                _ => po.Cancel(e.OccurredAt),
            };
            string[] kept = [.. po.AppliedEvents.TakeLast(RememberedEvents - 1), e.EventId];
            var types = kept.Where(po.AppliedEventTypes.ContainsKey).ToDictionary(id => id, id => po.AppliedEventTypes[id], StringComparer.Ordinal);
            types[e.EventId] = e.Type.ToString();
            return moved with { AppliedEvents = kept, AppliedEventTypes = types };
        }, ct);
        if (afterChange is not null) await afterChange.RunAsync(new PurchaseOrderChanged(order), ct);
        return order;
    }

    private static bool AlreadyPast(PurchaseOrderStatus status, PurchaseOrderEventType type) => type switch
    {
        // A Sent after the cancellation says only that the order went out before it was cancelled: nothing to do. A Confirmed
        // after it stays refused (quarantined): the supplier may ship a cancelled order, so someone must call them.
        PurchaseOrderEventType.Sent => status is PurchaseOrderStatus.Sent or PurchaseOrderStatus.Confirmed or PurchaseOrderStatus.Partial
            or PurchaseOrderStatus.Received or PurchaseOrderStatus.Cancelled,
        PurchaseOrderEventType.Confirmed => status is PurchaseOrderStatus.Confirmed or PurchaseOrderStatus.Partial or PurchaseOrderStatus.Received,
        _ => status is PurchaseOrderStatus.Cancelled,
    };
}
