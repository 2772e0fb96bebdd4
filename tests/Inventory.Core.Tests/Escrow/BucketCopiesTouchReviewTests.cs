using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Review of aebb461 (the sweep writes the product again under the ETag it copied from before it ends a save's entry).
/// Each test fails on that commit.
/// </summary>
public class BucketCopiesTouchReviewTests
{
    private static ReserveCommand Order(string id) => new(id, [new(EscrowWorld.Product, 1)]);

    private static async Task<EscrowWorld> InEscrowAsync()
    {
        var w = await EscrowWorld.CreateAsync(atL1: 100);
        for (var b = 1; b <= 2; b++) await w.Instance(b).Reserve.ExecuteAsync(Order($"O{b}"));
        return w;
    }

    private static async Task<Product> ProductAsync(EscrowWorld w, string id = EscrowWorld.Product) =>
        (await new ProductPartitions(w.Memory).ProductAsync(id, CancellationToken.None))!;

    // 1. The touch closes the gap for a save stalled before its *product* write, but the same gap is open one step later,
    //    at a save's *copy* write: the copy is conditioned on the bucket copy's ETag, which the sweep does not change when
    //    the copy already equals the product (copy == wanted: skipped). A save S_old (activates) reads bucket 1's copy
    //    (inactive) and stalls before writing it; S_new deactivates again and finishes (its copies equal: skipped); the
    //    sweep ends S_old's entry (copies equal: skipped, touch, delist). S_old then writes bucket 1 active under the ETag it
    //    read (unchanged, so it lands) and fails at its next copy (the save answers an error). Bucket 1 sells a product
    //    that is inactive, and no entry is left: the sweep never looks again. The doc says the only residual is a save
    //    that saw no bucket.
    [Fact]
    public async Task A_saves_copy_write_stalled_past_the_sweep_does_not_leave_a_stale_copy_with_no_entry()
    {
        var world = await InEscrowAsync();
        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // copies inactive

        var old = new SteeredStore(world.Store)
        {
            HoldCommit = (c, p, w) => c == Collection.Products && p == "P~1" && w is not null, // read bucket 1's copy, about to write it
            Fail = (c, p, w) => c == Collection.Products && p == "P~2" && w is not null, // its next copy fails: the save answers an error
        };
        var saving = EscrowWorld.Over(old, 3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = true });
        await old.Holding; // product written active, enlisted again, bucket 1's copy (inactive) read

        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // S_new: copies equal, skipped
        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2)); // S_old's entry is due, it is still stalled
        Assert.Equal(1, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Finished); // copies equal, touches, ends it

        old.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => saving); // bucket 1 written active under its old ETag; bucket 2's copy failed

        Assert.False((await ProductAsync(world)).IsActive);
        var later = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        var swept = await world.Instance(3, later).RecoverOrders.ExecuteAsync();
        Assert.False((await ProductAsync(world, "P~1")).IsActive,
            $"bucket 1 still sells the inactive product after the sweep (open entries: {swept.Open})");
    }

    // 2. The touch is said to write the product "again unchanged", but it writes this build's serialisation of it: any
    //    property of the stored document this build's Product does not carry (one written by a newer build during a rolling
    //    deploy, or by another tool) is dropped by a background sweep, with no save asked for. Before aebb461 nothing but a
    //    save wrote the product document.
    [Fact]
    public async Task The_sweeps_touch_does_not_drop_what_the_product_document_holds_beyond_this_builds_model()
    {
        var world = await InEscrowAsync();
        var stored = (await world.Memory.ReadAsync(Collection.Products, EscrowWorld.Product, [ProductPartitionIds.Product], [])).Single();
        var withMore = stored.Body.TrimEnd().TrimEnd('}') + ",\"hazmatClass\":\"UN1263\"}"; // a newer build's field
        await world.Memory.CommitAsync(Collection.Products, EscrowWorld.Product,
            [ProductPartitionIds.Typed(new DocumentWrite.Replace(ProductPartitionIds.Product, withMore, stored.ETag))]);

        // A save's entry the sweep finishes (its copies were made, its delist was lost).
        await world.Instance(3).Orders.EnlistAsync(BucketCopies.SagaKind, $"{EscrowWorld.Product}|lost", DateTimeOffset.UtcNow, CancellationToken.None);
        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(1, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Finished);

        var after = (await world.Memory.ReadAsync(Collection.Products, EscrowWorld.Product, [ProductPartitionIds.Product], [])).Single();
        Assert.Contains("hazmatClass", after.Body);
    }

    /// <summary>Holds the first matching commit (<see cref="HoldCommit"/>) until released; fails matching commits.</summary>
    private sealed class SteeredStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int held;

        public Func<Collection, string, IReadOnlyList<DocumentWrite>?, bool>? HoldCommit { get; init; }
        public Func<Collection, string, IReadOnlyList<DocumentWrite>?, bool>? Fail { get; init; }
        public Task Holding => holding.Task;
        public void Release() => released.TrySetResult();

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            if (HoldCommit?.Invoke(collection, partition, writes) == true && Interlocked.Exchange(ref held, 1) == 0)
            {
                holding.TrySetResult();
                await released.Task;
            }
            if (Fail?.Invoke(collection, partition, writes) == true) throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition);
            await base.CommitAsync(collection, partition, writes, ct);
        }
    }
}
