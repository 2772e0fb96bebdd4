using Inventory.Domain;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Found in review: <c>ReplenishmentRule.Nightly</c> computes the safety stock as
/// <c>Math.Ceiling(2 * daily * leadTimeDays)</c> in doubles, with <c>daily = shipped / windowDays</c> already rounded.
/// When the exact value is a whole number the rounding error can land just above it and the ceiling adds a unit: 58
/// units shipped over the default 28-day window with a 7-day lead time is exactly 2 × 58/28 × 7 = 29, but the double is
/// 29.000000000000004 and the safety stock 30. The threshold is then one too high, so the nightly scan reorders a
/// product whose position is one above the real threshold (docs/replenishment.md: reorder when position ≤ reorderPoint +
/// s), and every order quantity it computes is one unit too many. Fix: compute ⌈2 × shipped × leadTimeDays / windowDays⌉
/// in integers (or decimal).
/// </summary>
public class TheSafetyStockOfAWholeNumberIsNotRoundedUpOnceMoreTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Fact]
    public void Fifty_eight_units_over_28_days_with_a_7_day_lead_time_is_a_safety_stock_of_29_and_no_reorder_one_above_it()
    {
        var product = new Product
        {
            ProductId = "A", Sku = "A", Name = "a", ReorderPoint = 10, ReorderQuantity = 50, LeadTimeDays = 7, AutoReplenish = true, PreferredSupplierId = "S",
        };
        var demand = new DemandHistory();
        demand.RecordShipment(new DateTimeOffset(Today.AddDays(-3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), 58);

        // Exact: s = ⌈2 × (58 / 28) × 7⌉ = 29, threshold 10 + 29 = 39; 40 available is above it.
        var position = ReplenishmentRule.Nightly(product, 40, new ProductSupply { ProductId = "A" }, demand, Today, 28);

        Assert.True((position.SafetyStock, position.Threshold, position.Reorder) == (29L, 39L, false),
            $"2 × 58/28 × 7 is exactly 29, but the rule computed a safety stock of {position.SafetyStock} and a threshold of {position.Threshold}, "
            + $"so 40 available was {(position.Reorder ? $"reordered ({position.Quantity} units)" : "not reordered")}");
    }
}
