using Inventory.Application.Counts;
using Inventory.Application.Orders;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: <c>POST /api/stock/counts</c> promises that every row is applied "exactly as POST
/// /api/stock/adjustments would apply it", and an adjustment of a product in escrow first gathers its buckets' free units
/// (<c>AdjustStock</c>, the fix of <see cref="EscrowForcedCountTests"/>). <c>CountPass</c> did not gather: it decided
/// the counted quantity against the product's reserved, which still holds every unit granted to a bucket (the holder's
/// reservation). A count above what orders hold but below what the buckets were granted was refused
/// (stock-would-go-negative) by the count, while the same count as an adjustment (<c>AdjustCommand</c> with
/// <c>countedQuantity</c> 10, not forced) is applied in the same world.
/// </summary>
public class ACycleCountOfAProductInEscrowIsAppliedAsItsAdjustmentWouldBeTests
{
    [Fact]
    public async Task A_count_row_of_a_product_in_escrow_is_applied_like_the_same_counted_adjustment()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])); // bucket 1: granted 25, 3 reserved by O1
        Assert.Equal((100, 25), await world.StockOfAsync("P"));

        // The bin is counted: 10 units. Only O1's 3 are really reserved, so an adjustment to 10 is applied (not forced).
        var result = await app.StockCount.ExecuteAsync(new CountCommand("count-1",
            [new CountRow(2, "L1", EscrowWorld.Product, null, 10, null)]));

        var row = Assert.Single(result.Results);
        Assert.True(row.Status == CountRowStatus.Applied, $"row {row.Status}: {row.Code} {row.Error}");
        Assert.Equal(10, row.QuantityOnHand);
        Assert.Equal((10, 3), await world.StockOfAsync("P"));
        await world.AssertEscrowBalancesAsync();
    }
}
