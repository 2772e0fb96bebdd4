using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Storage.Cosmos.Tests.Shapes;

/// <summary>
/// A product in escrow: buckets (partitions <c>{productId}~n</c>) hold copies of the product's documents, whose own
/// productId is the product's, not the partition's. Grants, orders reserved and released in a bucket, a return, and a
/// product save copied into every bucket, each document through the Cosmos item mapping.
/// </summary>
public class EscrowDocumentsReadBackFromCosmosTests
{
    private static bool Bucket(string partition) => EscrowBucket.IsBucket(partition);

    [Fact]
    public async Task Grants_bucket_orders_a_return_and_a_copied_product_save_write_only_shapes_Cosmos_keeps()
    {
        var escrow = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { ShapeWorld.A }, Buckets = 4, Bucket = 1 };
        var world = await ShapeWorld.CreateAsync(escrow);
        var app = world.App;

        await app.Escrow.GrantAsync(new EscrowBucket(ShapeWorld.A, 2), 10, "W1", CancellationToken.None);
        await app.Reserve.ExecuteAsync(new ReserveCommand("ORD-6006", [new(ShapeWorld.A, 3)], HoldMinutes: 30)); // in bucket 1
        await app.Reserve.ExecuteAsync(new ReserveCommand("ORD-6007", [new(ShapeWorld.A, 2)]));
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("ORD-6006", [new(ShapeWorld.A, 1)], "ship-1")); // settled in the product
        await app.Release.ExecuteAsync(new ReservationChangeCommand("ORD-6007"));
        await app.Escrow.ReturnAsync(new EscrowBucket(ShapeWorld.A, 2), null, CancellationToken.None);
        await app.SaveProduct.ExecuteAsync(ShapeWorld.Product(ShapeWorld.A) with { Name = "Café « renommé »", IsActive = false }); // copied to the buckets
        world.Clock.Advance(TimeSpan.FromMinutes(40));
        await app.ExpireHolds.ExecuteAsync();
        await app.RecoverOrders.ExecuteAsync();

        world.Store.AssertNoProblems();
        var inBuckets = world.Writes(Collection.Products, Bucket);
        Assert.Equal([$"{ShapeWorld.A}~1", $"{ShapeWorld.A}~2"], inBuckets.Select(w => w.Partition).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(inBuckets, w => w.Id == "product" && w.Kind == "replace"); // the save copied into a bucket
        // The escrow's open-saga entries name their bucket's move, not their index bucket: the shape 30f407a was about.
        Assert.Contains(world.Store.Kept, w => w.Collection == Collection.Orders && w.Id.StartsWith("escrow|", StringComparison.Ordinal));
    }
}
