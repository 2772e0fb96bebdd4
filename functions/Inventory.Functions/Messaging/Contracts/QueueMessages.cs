using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Functions.Api;

namespace Inventory.Functions.Messaging.Contracts;

// Queue message bodies the service accepts, read as strictly as HTTP requests (JsonBody): every member nullable so
// that a missing one is named, unknown fields and wrong types refused. The application layer then checks ids, quantities and states.

public sealed record ReceiptLineBody(string? ProductId, long? Quantity, string? LocationId);

/// <summary>The receipts queue: <c>{poId, receiptId, warehouseId, receivedBy, lines: [{productId, quantity, locationId?}]}</c>.</summary>
public sealed record ReceiptMessageBody(string? PoId, string? ReceiptId, string? WarehouseId, string? ReceivedBy, IReadOnlyList<ReceiptLineBody?>? Lines)
{
    public ReceiptMessage ToMessage()
    {
        var required = Required.Present("poId", PoId).Present("receiptId", ReceiptId).Present("warehouseId", WarehouseId)
            .Present("receivedBy", ReceivedBy).Present("lines", Lines);
        for (var i = 0; i < (Lines?.Count ?? 0); i++)
        {
            if (Lines![i] is not { } line) { required.Present($"lines[{i}]", null); continue; }
            required.Present($"lines[{i}].productId", line.ProductId).Present($"lines[{i}].quantity", line.Quantity);
        }
        required.ThrowIfAny();
        return new ReceiptMessage(PoId!, ReceiptId!, WarehouseId!, ReceivedBy!,
            Lines!.Select(l => new ReceiptMessageLine(l!.ProductId!, l.Quantity!.Value, l.LocationId)).ToArray());
    }
}

/// <summary>The purchase-order-events queue: <c>{eventId, poId, type: Sent | Confirmed | Cancelled, occurredAt}</c>.</summary>
public sealed record PurchaseOrderEventBody(string? EventId, string? PoId, PurchaseOrderEventType? Type, DateTimeOffset? OccurredAt)
{
    public PurchaseOrderEvent ToEvent()
    {
        Required.Present("eventId", EventId).Present("poId", PoId).Present("type", Type).Present("occurredAt", OccurredAt).ThrowIfAny();
        return new PurchaseOrderEvent(EventId!, PoId!, Type!.Value, OccurredAt!.Value);
    }
}
