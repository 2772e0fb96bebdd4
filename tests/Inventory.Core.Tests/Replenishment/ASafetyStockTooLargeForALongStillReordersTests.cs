using Inventory.Domain;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Found in review of b4615dc: <c>ReplenishmentRule.SafetyStock</c> now computes ⌈2 × shipped × leadTimeDays / days⌉ in
/// <see cref="Int128"/> and clamps it to <see cref="long.MaxValue"/>, but <c>Nightly</c> then adds it to the reorder
/// point in <c>long</c> (<c>threshold = p.ReorderPoint + safety</c>, unchecked): a clamped safety stock with any reorder
/// point wraps the threshold to a large negative number, so the product with the highest demand the rule can see is
/// "above threshold" and never reordered (and <c>threshold - position + 1</c> wraps the same way). The clamp guards the
/// division only. A fix: compute the threshold (and the quantity) in <see cref="Int128"/> too, or saturate the sums
/// (e.g. clamp the safety stock to <c>long.MaxValue - reorderPoint</c>), so a huge demand reorders rather than wraps.
/// </summary>
public class ASafetyStockTooLargeForALongStillReordersTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Fact]
    public void A_product_with_a_demand_whose_safety_stock_is_clamped_is_at_or_below_its_threshold()
    {
        var product = new Product
        {
            ProductId = "A", Sku = "A", Name = "a", ReorderPoint = 10, ReorderQuantity = 50, LeadTimeDays = 3650, AutoReplenish = true, PreferredSupplierId = "S",
        };
        var demand = new DemandHistory();
        // 2 × 4e16 × 3650 / 28 is beyond long.MaxValue: the safety stock is clamped there.
        demand.RecordShipment(new DateTimeOffset(Today.AddDays(-3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), 40_000_000_000_000_000);

        var position = ReplenishmentRule.Nightly(product, 0, new ProductSupply { ProductId = "A" }, demand, Today, 28);

        Assert.True(position.Reorder && position.Threshold >= position.SafetyStock,
            $"nothing available and a safety stock of {position.SafetyStock}, yet the threshold is {position.Threshold} "
            + $"(reorder point 10 + safety stock wrapped around) and the product is {(position.Reorder ? "reordered" : $"not reordered ({position.Reason})")}");
    }
}
