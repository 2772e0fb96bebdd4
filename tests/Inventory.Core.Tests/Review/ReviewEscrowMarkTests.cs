using Inventory.Application;
using Inventory.Core.Tests.Escrow;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Review;

/// <summary>Review of eb3c536 (the mark writes the product again under the ETag read).</summary>
public class ReviewEscrowMarkTests
{
    private static async Task<Product> ProductAsync(EscrowWorld w, string id = EscrowWorld.Product) =>
        (await new ProductPartitions(w.Memory).ProductAsync(id, CancellationToken.None))!;

    // R1. ProductForSaveAsync reads the product, the head and the marks as three lone reads at once. The marks' query ran
    //     before the mark's commit (no bucket), the product's point read after it (the ETag the mark wrote). The save
    //     enlists nothing, its product write succeeds on that ETag, its instance dies before it looks for buckets again:
    //     the bucket, made from the product before the save, goes on selling it, and no entry leads the sweep to it.
    [Fact]
    public async Task A_save_whose_marks_read_precedes_the_mark_and_whose_product_read_follows_it_still_leaves_its_copy_to_the_sweep()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100); // not in escrow yet
        var product = await ProductAsync(world);
        var deactivated = false;
        world.Memory.AfterCommit = (c, p, w) =>
        {
            if (c == Collection.Products && p == EscrowWorld.Product && w.Any(x => x.Id == ProductPartitionIds.Product && x is DocumentWrite.Replace r
                && !DocumentJson.Read<Product>(r.Body).IsActive)) deactivated = true;
        };
        var save = new ReadHoldingStore(world.Store, (c, p, ids, prefixes) =>
            c == Collection.Products && p == EscrowWorld.Product && prefixes.Count == 0 && ids.SequenceEqual([ProductPartitionIds.Product]))
        { Fail = () => deactivated };
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // the marks' query and the head's read ran (no bucket); the product's read is held before it runs

        await world.Instance(1).Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None); // marked (product touched), made from the active product

        save.Release(); // the product read: the ETag the mark wrote
        await Assert.ThrowsAsync<StoreFaultException>(() => saving); // the product written inactive, then the instance died
        world.Memory.AfterCommit = null;

        Assert.False((await ProductAsync(world)).IsActive);
        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        var swept = await world.Instance(3, sweep).RecoverOrders.ExecuteAsync();
        Assert.False((await ProductAsync(world, "P~1")).IsActive, $"bucket 1 still sells the inactive product (sweep saw {swept})");
    }

    // R2. Marks were creates of their own, which never conflicted with each other; now each is also a write of the product
    //     under the ETag read, so the makers of different buckets at a sale's start (one instance per bucket, each making
    //     its own when its first order comes) race on one document. Ten attempts without a pause: with more buckets being
    //     made at once than that (Buckets goes to 64), a maker gives up and its order fails with ConcurrencyExhausted.
    [Fact]
    public async Task Sixteen_buckets_made_at_once_all_get_made()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var slow = new SlowStore(world.Store);
        var makers = Enumerable.Range(1, 16).Select(i => Task.Run(() =>
            EscrowWorld.Over(slow, i).Escrow.CreateAsync(EscrowWorld.Bucket(i), CancellationToken.None))).ToArray();
        var failed = new List<Exception>();
        foreach (var m in makers)
        {
            try { await m; }
            catch (Exception e) { failed.Add(e); }
        }
        Assert.True(failed.Count == 0, $"{failed.Count} of 16 makers failed: {string.Join("; ", failed.Select(e => e.GetType().Name).Distinct())}");
    }

    /// <summary>Every read and commit takes a moment (a real store's round trip), so concurrent callers interleave.</summary>
    internal sealed class SlowStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken ct = default)
        {
            await Task.Delay(2, ct);
            return await base.ReadAsync(collection, partition, ids, idPrefixes, ct);
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            await Task.Delay(2, ct);
            await base.CommitAsync(collection, partition, writes, ct);
        }
    }

    /// <summary>Holds the first read matching <c>hold</c> (before it runs) until released; fails every commit once <see cref="Fail"/> says so.</summary>
    internal sealed class ReadHoldingStore(IDocumentStore inner, Func<Collection, string, IReadOnlyCollection<string>, IReadOnlyCollection<string>, bool> hold)
        : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int held;
        public Func<bool>? Fail { get; init; }
        public Task Holding => holding.Task;
        public void Release() => released.TrySetResult();

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken ct = default)
        {
            if (hold(collection, partition, ids, idPrefixes) && Interlocked.Exchange(ref held, 1) == 0)
            {
                holding.TrySetResult();
                await released.Task;
            }
            return await base.ReadAsync(collection, partition, ids, idPrefixes, ct);
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            if (Fail?.Invoke() == true) throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition);
            await base.CommitAsync(collection, partition, writes, ct);
        }
    }
}
