namespace Inventory.Domain;

/// <summary>A product's position against its reorder threshold, and the decision taken on it.</summary>
public sealed record ReplenishmentPosition(
    long Available, long Incoming, double AverageDailyDemand, long SafetyStock, long Threshold, bool Reorder, long Quantity, string Reason)
{
    /// <summary>
    /// The product's open purchase orders are what keeps it from being reordered: it replenishes itself, one is open, and
    /// its available stock alone is at or below the threshold (a product above it with an order on its way is not held).
    /// </summary>
    public bool HeldByOpenOrder { get; init; }
}

/// <summary>
/// The reorder rules. Available is counted across all warehouses: reorderPoint, reorderQuantity and leadTimeDays are
/// per product, not per warehouse, so the position they are compared with is the product's whole position.
/// </summary>
public static class ReplenishmentRule
{
    /// <summary>
    /// After a drop (SHIP, downward ADJUST): reorder reorderQuantity when available falls below reorderPoint and no
    /// purchase order for the product is open.
    /// </summary>
    public static ReplenishmentPosition AfterDrop(Product p, long available, ProductSupply supply) =>
        Decide(p, available, supply, 0, 0, p.ReorderPoint, reorder: available < p.ReorderPoint, shortAlone: available < p.ReorderPoint,
            p.ReorderQuantity, "available below reorder point");

    /// <summary>
    /// The nightly rule. Average daily demand d = units shipped over the trailing window / window days. Safety stock
    /// = ceil(2 × d × leadTimeDays). Reorder when available + incoming ≤ reorderPoint + safety stock; order the larger
    /// of reorderQuantity and what brings the position back above that threshold.
    /// </summary>
    public static ReplenishmentPosition Nightly(Product p, long available, ProductSupply supply, DemandHistory demand, DateOnly today, int windowDays)
    {
        var daily = demand.AverageDaily(today, windowDays);
        var safety = SafetyStock(demand.Shipped(today, windowDays), p.LeadTimeDays);
        // Saturating: a safety stock near long.MaxValue wrapped the threshold negative (never reordered).
        var threshold = Saturating.Add(p.ReorderPoint, safety);
        var position = Saturating.Add(available, supply.Incoming);
        var quantity = Math.Max(p.ReorderQuantity, Saturating.Add(Saturating.Subtract(threshold, position), 1));
        return Decide(p, available, supply, daily, safety, threshold, reorder: position <= threshold, shortAlone: available <= threshold,
            quantity, "position at or below reorder point + safety stock");
    }

    /// <summary>
    /// ⌈2 × shipped × leadTimeDays / days⌉ in whole numbers: in doubles a whole result could come out just above itself
    /// and the ceiling add a unit (58 units over 28 days, 7 days' lead: 29.000000000000004, so 30).
    /// </summary>
    private static long SafetyStock((long Shipped, int Days) window, int leadTimeDays)
    {
        if (window.Days <= 0 || leadTimeDays <= 0 || window.Shipped <= 0) return 0;
        var need = (Int128)2 * window.Shipped * leadTimeDays;
        return (long)Int128.Min((need + window.Days - 1) / window.Days, long.MaxValue);
    }

    /// <summary><paramref name="shortAlone"/>: the threshold is reached on available stock alone, open orders left out.</summary>
    private static ReplenishmentPosition Decide(Product p, long available, ProductSupply supply, double daily, long safety, long threshold,
        bool reorder, bool shortAlone, long quantity, string reason)
    {
        string? skip = !p.IsActive ? "product inactive"
            : !p.AutoReplenish ? "autoReplenish is off"
            : p.PreferredSupplierId is null ? "no preferred supplier"
            : !reorder ? "above threshold"
            : supply.HasOpenOrder ? "a purchase order is open"
            : quantity <= 0 ? "nothing to order"
            : null;
        return new ReplenishmentPosition(available, supply.Incoming, daily, safety, threshold, skip is null, skip is null ? quantity : 0, skip ?? reason)
        {
            HeldByOpenOrder = p is { IsActive: true, AutoReplenish: true, PreferredSupplierId: not null } && supply.HasOpenOrder && shortAlone,
        };
    }

    /// <summary>Today in the warehouse's time zone, plus the lead time.</summary>
    public static DateOnly ExpectedDate(DateTimeOffset now, string timezone, int leadTimeDays)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timezone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime).AddDays(leadTimeDays);
    }

    /// <summary>Measured lead time drifts when it differs from the configured one by more than a day and more than 25 %.</summary>
    public static bool Drifts(int configuredDays, double? measuredDays) =>
        measuredDays is { } m && Math.Abs(m - configuredDays) > Math.Max(1, 0.25 * configuredDays);
}
