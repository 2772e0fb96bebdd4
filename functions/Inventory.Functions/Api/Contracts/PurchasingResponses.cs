using Inventory.Application.Purchasing;
using Inventory.Domain;

namespace Inventory.Functions.Api.Contracts;

/// <summary>
/// A purchase order as the API answers it, and as the purchase-orders queue carries a raised one
/// (<see cref="Messaging.ServiceBusPurchaseOrderPublisher"/>).
/// </summary>
public sealed record PurchaseOrderResponse
{
    public required string PoId { get; init; }
    public required string SupplierId { get; init; }
    public required string WarehouseId { get; init; }
    public PurchaseOrderStatus Status { get; init; }
    public PurchaseOrderOrigin Origin { get; init; }
    public IReadOnlyList<PurchaseOrderLineResponse> Lines { get; init; } = [];
    public DateOnly ExpectedDate { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public IReadOnlyList<string> AppliedReceipts { get; init; } = [];
    public IReadOnlyList<string> AppliedEvents { get; init; } = [];
    public IReadOnlyList<PendingReceiptResponse> PendingReceipts { get; init; } = [];
    public bool IsOpen { get; init; }

    public static PurchaseOrderResponse From(PurchaseOrder o) => new()
    {
        PoId = o.PoId, SupplierId = o.SupplierId, WarehouseId = o.WarehouseId, Status = o.Status, Origin = o.Origin,
        Lines = o.Lines.Select(l => new PurchaseOrderLineResponse(l.ProductId, l.QuantityOrdered, l.QuantityReceived) { Outstanding = l.Outstanding }).ToArray(),
        ExpectedDate = o.ExpectedDate, CreatedAt = o.CreatedAt, SentAt = o.SentAt, ConfirmedAt = o.ConfirmedAt, ReceivedAt = o.ReceivedAt,
        CancelledAt = o.CancelledAt, AppliedReceipts = o.AppliedReceipts, AppliedEvents = o.AppliedEvents,
        PendingReceipts = o.PendingReceipts.Select(p => new PendingReceiptResponse(p.ReceiptId, p.ReceivedBy,
            p.Lines.Select(l => new PendingReceiptLineResponse(l.ProductId, l.Quantity, l.LocationId)).ToArray(), p.AcceptedAt)).ToArray(),
        IsOpen = o.IsOpen,
    };
}

public sealed record PurchaseOrderLineResponse(string ProductId, long QuantityOrdered, long QuantityReceived = 0)
{
    public long Outstanding { get; init; }
}

/// <summary>A receipt the order has accepted whose stock is not all put away yet.</summary>
public sealed record PendingReceiptResponse(string ReceiptId, string ReceivedBy, IReadOnlyList<PendingReceiptLineResponse> Lines, DateTimeOffset AcceptedAt);

public sealed record PendingReceiptLineResponse(string ProductId, long Quantity, string? LocationId);

/// <summary>The messages of a queue kept as poison (GET /api/quarantine/{queue}).</summary>
public sealed record QuarantineResponse(string Queue, IReadOnlyList<QuarantinedMessageResponse> Messages,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? ContinuationToken = null)
{
    public static QuarantineResponse From(string queue, IEnumerable<(string QuarantineId, QuarantinedMessage Message)> messages, string? continuationToken = null) =>
        new(queue, messages.Select(q => new QuarantinedMessageResponse(q.Message.Queue, q.Message.MessageId, q.Message.Reason, q.Message.Description,
            q.Message.Body, q.Message.DeliveryCount, q.Message.QuarantinedAt, q.QuarantineId)).ToArray(), PageToken.Encode(continuationToken));
}

/// <summary>A quarantined message; <see cref="QuarantineId"/> names it for its dismissal (a message id may be kept more than once).</summary>
public sealed record QuarantinedMessageResponse(string Queue, string MessageId, string Reason, string Description, string Body, int DeliveryCount,
    DateTimeOffset QuarantinedAt, string QuarantineId);
