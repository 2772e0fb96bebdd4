namespace Inventory.Domain;

public enum PurchaseOrderStatus { Draft, Sent, Confirmed, Partial, Received, Cancelled }

public sealed record PurchaseOrderLine(string ProductId, long QuantityOrdered, long QuantityReceived);

/// <summary>The model only; its state machine comes with purchase-order receiving.</summary>
public sealed record PurchaseOrder
{
    public required string PoId { get; init; }
    public required string SupplierId { get; init; }
    public required string WarehouseId { get; init; }
    public PurchaseOrderStatus Status { get; init; } = PurchaseOrderStatus.Draft;
    public IReadOnlyList<PurchaseOrderLine> Lines { get; init; } = [];
    public DateOnly ExpectedDate { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
