using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: an order short in its bucket gathers only the buckets this instance is configured with
/// (<c>Escrow__Buckets</c>), not those the product's head lists. With the setting lowered, or on an instance configured
/// with fewer buckets than another, the units held by the buckets beyond its count are never asked for: the order is
/// refused while they sit free in another bucket, unsellable from that instance.
/// </summary>
public class EscrowBucketCountTests
{
    [Fact]
    public async Task An_order_on_an_instance_with_fewer_buckets_gathers_every_bucket_the_product_lists_before_it_is_refused()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(4).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 1)])); // bucket 4: granted 25, 24 free
        Assert.Equal((25, 1), await world.StockOfAsync("P~4"));

        // Escrow__Buckets lowered to 2 (or another instance configured with 2): it reserves P in bucket 1.
        var fewer = new Inventory.Testing.InventoryApplication(world.Store)
        {
            EscrowOptions = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { EscrowWorld.Product }, Buckets = 2, Bucket = 1 },
        };
        // 75 are in the product, 24 free in bucket 4: 90 exist to be reserved.
        var result = await fewer.Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 90)]));

        Assert.Equal(90, result.Reservation.Lines[0].Reserved);
        await world.AssertEscrowBalancesAsync();
    }
}
