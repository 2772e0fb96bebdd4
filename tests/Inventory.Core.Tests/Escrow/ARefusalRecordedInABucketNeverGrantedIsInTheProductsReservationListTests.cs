using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: an order reserved in an escrow bucket makes the bucket first (<c>EscrowBuckets.CreateAsync</c>), so
/// that its refusal is recorded there; but a bucket enters the product's head (<c>StockHead.Buckets</c>) only with its
/// first grant. An order refused in a bucket no grant ever reached (the product has nothing in the order's warehouse,
/// or nothing at all) is recorded REJECTED in a partition that the product's reservation list
/// (<c>GET /api/products/{productId}/reservations</c>, which walks the head's buckets) never reads: the same order
/// refused in the product's partition is listed.
/// </summary>
public class ARefusalRecordedInABucketNeverGrantedIsInTheProductsReservationListTests
{
    [Fact]
    public async Task An_order_refused_in_a_bucket_no_grant_reached_is_listed_among_the_products_rejected_reservations()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100, atL2: 0); // nothing at all in warehouse W2
        var app = world.Instance(1);

        await Assert.ThrowsAsync<InsufficientStockException>(() =>
            app.Reserve.ExecuteAsync(new ReserveCommand("O-W2", [new(EscrowWorld.Product, 5)], WarehouseId: "W2")));
        Assert.Equal(1, (await app.Orders.FindAsync("O-W2", CancellationToken.None))!.Bucket); // decided in bucket 1
        var recorded = await app.Partitions.ReservationAsync(EscrowWorld.Bucket(1).Partition, "O-W2", null, CancellationToken.None);
        Assert.Equal(ReservationStatus.Rejected, recorded?.Status); // the refusal is recorded there

        var list = app.Get<ProductReservations>();
        var rejected = await list.ListAsync(EscrowWorld.Product, ReservationStatus.Rejected);
        var all = await list.ListAsync(EscrowWorld.Product, null);

        Assert.True(rejected.Items.Any(r => r.OrderId == "O-W2"),
            "the product's list of rejected reservations leaves out O-W2, refused in bucket 1, which no grant reached and its head does not list");
        Assert.Contains(all.Items, r => r.OrderId == "O-W2");
    }

    [Fact]
    public async Task The_same_order_refused_in_the_products_partition_is_listed()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100, atL2: 0);
        var plain = new Inventory.Testing.InventoryApplication(world.Store); // escrow off: decided in the product's partition

        await Assert.ThrowsAsync<InsufficientStockException>(() =>
            plain.Reserve.ExecuteAsync(new ReserveCommand("O-W2", [new(EscrowWorld.Product, 5)], WarehouseId: "W2")));

        var rejected = await plain.Get<ProductReservations>().ListAsync(EscrowWorld.Product, ReservationStatus.Rejected);
        Assert.Contains(rejected.Items, r => r.OrderId == "O-W2");
    }
}
