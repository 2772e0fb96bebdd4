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

    /// <summary>
    /// Claims the product for a purchase order about to be created (its intent: counted as open from here, so the reorder
    /// guard sees it before the order exists). A claim already there is kept as it is.
    /// </summary>
    public ProductSupply Claim(PurchaseOrder order) => Holds(order.PoId) ? this : Track(order);

    public bool Holds(string poId) => Open.Any(o => o.PoId == poId);

    /// <summary>Drops a claim whose order will not be created (a declined or abandoned reorder).</summary>
    public ProductSupply Release(string poId) => Holds(poId) ? this with { Open = Open.Where(o => o.PoId != poId).ToArray() } : this;

    /// <summary>Brings this product's view of a purchase order up to date: idempotent, so it can be re-run after a crash.</summary>
    public ProductSupply Track(PurchaseOrder order)
    {
        var line = order.Lines.FirstOrDefault(l => l.ProductId == ProductId);
        // Not on the order (a claim for a request that lost to another under the same poId): nothing is incoming from it.
        if (line is null) return Release(order.PoId);
        var incoming = new IncomingOrder(order.PoId, order.SupplierId, order.Origin, order.Status, line.Outstanding);
        var others = Open.Where(o => o.PoId != order.PoId);
        var open = order.IsOpen ? others.Append(incoming) : others;
        var leadTimes = LeadTimes;
        if (order.IsOpen && Open.Contains(incoming)) return this; // already in step: nothing to write
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
