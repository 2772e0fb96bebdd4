using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review (h1): a fulfilment or release of an order reserved in an escrow bucket that its reservation refuses
/// (more than it holds; nothing left to ship) answers with the bucket's partition as the product: "cannot ship 5 of
/// 'P~1'", "Reservation of 'P~1' for order 'O1' is Fulfilled". '~' is refused in every id and buckets are left out of
/// every list: the client is told about a product it never named and cannot look up (GET /api/products/P~1 is a 400).
/// The same refusals of an order reserved in the product's partition name 'P'; a refused reservation in a bucket names
/// 'P' too.
/// </summary>
public class ARefusedChangeOfABucketOrderNamesTheProductNotItsBucketTests
{
    [Fact]
    public async Task Shipping_more_than_a_bucket_order_holds_is_refused_naming_the_product()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])); // reserved in bucket 1
        Assert.Equal(1, (await app.Orders.FindAsync("O1", default))!.Bucket);

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new(EscrowWorld.Product, 5)], "ship-1")));

        Assert.DoesNotContain("P~", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'P'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fulfilling_a_bucket_order_shipped_already_is_refused_naming_the_product()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", null, "ship-1"));

        var refused = await Assert.ThrowsAsync<InvalidStateException>(() =>
            app.Release.ExecuteAsync(new ReservationChangeCommand("O1", [new(EscrowWorld.Product, 1)], "rel-1")));

        Assert.DoesNotContain("P~", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'P'", refused.Message, StringComparison.Ordinal);
    }
}
