namespace Inventory.Application.Purchasing;

/// <summary>Settings of receiving (section <c>Receiving</c>).</summary>
public sealed record ReceivingOptions
{
    /// <summary>How far beyond the ordered quantity a purchase-order line may be received, in percent (default 0).</summary>
    public decimal OverReceiptTolerancePercent { get; init; }
}
