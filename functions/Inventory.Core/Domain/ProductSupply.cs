namespace Inventory.Domain;

/// <summary>An open purchase order's remaining quantity of one product.</summary>
public sealed record IncomingOrder(string PoId, string SupplierId, PurchaseOrderOrigin Origin, PurchaseOrderStatus Status, long Outstanding);

/// <summary>How long one purchase order took from SENT to RECEIVED.</summary>
public sealed record LeadTimeObservation(string PoId, string SupplierId, double Days, DateTimeOffset ReceivedAt);

/// <summary>
/// What is on its way for a product: its open purchase orders (the quantity incoming, and the guard that allows at most
/// one open order per product) and the lead times measured on its received orders. One document in the product's
/// partition, replaced under its ETag, so two reorders racing on several instances cannot both claim the product.
/// </summary>
public sealed record ProductSupply
{
    public const int KeptObservations = 10;

    public required string ProductId { get; init; }
    public IReadOnlyList<IncomingOrder> Open { get; init; } = [];
    public IReadOnlyList<LeadTimeObservation> LeadTimes { get; init; } = [];

    public long Incoming => Open.Sum(o => o.Outstanding);
    public bool HasOpenOrder => Open.Count > 0;

    /// <summary>Brings this product's view of a purchase order up to date: idempotent, so it can be re-run after a crash.</summary>
    public ProductSupply Track(PurchaseOrder order)
    {
        var line = order.Lines.FirstOrDefault(l => l.ProductId == ProductId);
        if (line is null) return this;
        var others = Open.Where(o => o.PoId != order.PoId);
        var open = order.IsOpen ? others.Append(new IncomingOrder(order.PoId, order.SupplierId, order.Origin, order.Status, line.Outstanding)) : others;
        var leadTimes = LeadTimes;
        if (order is { Status: PurchaseOrderStatus.Received, SentAt: { } sent, ReceivedAt: { } received } && LeadTimes.All(l => l.PoId != order.PoId))
            leadTimes = [.. LeadTimes.TakeLast(KeptObservations - 1), new LeadTimeObservation(order.PoId, order.SupplierId, (received - sent).TotalDays, received)];
        return this with { Open = open.OrderBy(o => o.PoId, StringComparer.Ordinal).ToArray(), LeadTimes = leadTimes };
    }

    /// <summary>Average measured lead time from this supplier, in days, or null before the first receipt.</summary>
    public double? MeasuredLeadTimeDays(string? supplierId)
    {
        var seen = LeadTimes.Where(l => supplierId is null || l.SupplierId == supplierId).ToArray();
        return seen.Length == 0 ? null : seen.Average(l => l.Days);
    }
}
