using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: a forced count of a product in escrow lowers only the product's on hand. The units its buckets were
/// granted stay available in the buckets, which go on reserving them to orders: units that the count found missing are
/// sold. Without escrow the same count leaves nothing available (the reserved units exceed what is on hand), and the
/// next order is refused.
/// </summary>
public class EscrowForcedCountTests
{
    [Fact]
    public async Task A_forced_count_below_what_the_buckets_hold_leaves_nothing_in_a_bucket_to_oversell()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])); // bucket 1: granted 25, 3 reserved
        Assert.Equal((25, 3), await world.StockOfAsync("P~1"));

        // A cycle count finds only 10 units at L1, forced below what is reserved there (the holder's 25).
        await app.Adjust.ExecuteAsync(new AdjustCommand(EscrowWorld.Product, "L1", null, 10, "count", "count-1", Force: true));
        Assert.Equal((10, 3), await world.StockOfAsync("P")); // the bucket's 22 free units came back before the count

        // 10 units exist, 3 of them reserved by O1: an order of 20 cannot be served.
        await Assert.ThrowsAsync<InsufficientStockException>(() =>
            app.Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 20)])));
    }
}
