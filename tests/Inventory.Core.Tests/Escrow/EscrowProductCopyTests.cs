using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// A bucket decides its orders on its own copy of the product's document (made with the bucket). A merchant who
/// deactivates a product in escrow expects it to stop selling at once, including from units its buckets already hold:
/// every save of the product is copied to its buckets.
/// </summary>
public class EscrowProductCopyTests
{
    private static ReserveCommand Order(string id) => new(id, [new(EscrowWorld.Product, 1)]);

    private static async Task SaveAsync(EscrowWorld world, bool active)
    {
        var app = world.Instance(3);
        var product = (await new ProductPartitions(world.Memory).ProductAsync(EscrowWorld.Product, CancellationToken.None))!;
        await app.SaveProduct.ExecuteAsync(product with { IsActive = active });
    }

    [Fact]
    public async Task A_deactivated_product_is_refused_in_a_bucket_that_still_holds_its_units_and_sells_again_once_reactivated()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(Order("O1")); // bucket 1 granted 25, one reserved

        await SaveAsync(world, active: false);
        var refused = await Assert.ThrowsAsync<InvalidStateException>(() => app.Reserve.ExecuteAsync(Order("O2")));
        Assert.Contains("inactive", refused.Message, StringComparison.Ordinal);
        Assert.Equal((25, 1), await world.StockOfAsync("P~1")); // nothing reserved

        await SaveAsync(world, active: true);
        Assert.Equal(1, (await app.Reserve.ExecuteAsync(Order("O3"))).Reservation.Lines[0].Reserved);
        Assert.Equal((25, 2), await world.StockOfAsync("P~1"));
        await world.AssertEscrowBalancesAsync();
    }

    [Fact]
    public async Task A_bucket_made_while_the_product_was_inactive_sells_once_the_product_is_reactivated()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await SaveAsync(world, active: false);
        var app = world.Instance(1);
        await app.Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None); // made before any grant: its head does not list it

        await SaveAsync(world, active: true);

        Assert.Equal(1, (await app.Reserve.ExecuteAsync(Order("O1"))).Reservation.Lines[0].Reserved);
        await world.AssertEscrowBalancesAsync();
    }

    [Fact]
    public async Task A_save_whose_copy_lands_after_a_later_saves_copy_leaves_the_bucket_with_the_later_one()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(1).Reserve.ExecuteAsync(Order("O1"));
        var partitions = new ProductPartitions(world.Memory);
        var product = (await partitions.ProductAsync(EscrowWorld.Product, CancellationToken.None))!;
        var held = new HeldCopy(world.Memory, "P~1");
        var first = new InventoryApplication(held).SaveProduct.ExecuteAsync(product with { Name = "first" });
        await held.Holding; // the first save landed and its copier read it; it has not looked at bucket 1's copy yet

        await world.Instance(2).SaveProduct.ExecuteAsync(product with { Name = "second" });
        held.Release();
        await first;

        Assert.Equal("second", (await partitions.ProductAsync("P~1", CancellationToken.None))!.Name);
        Assert.True((await world.Instance(1).Invariants.CheckAsync(EscrowWorld.Product)).Holds);
    }

    [Fact]
    public async Task A_bucket_made_from_the_product_as_it_was_before_a_save_copies_the_save()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var held = new HeldCopy(world.Memory, "P~1", commit: true);
        var making = EscrowWorld.Over(held, 1).Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None);
        await held.Holding; // it read the product (active) and is about to make the bucket with that copy

        await SaveAsync(world, active: false); // finds bucket 1 marked, not made yet
        held.Release();
        await making;

        Assert.False((await new ProductPartitions(world.Memory).ProductAsync("P~1", CancellationToken.None))!.IsActive);
        await Assert.ThrowsAsync<InvalidStateException>(() => world.Instance(1).Reserve.ExecuteAsync(Order("O1")));
    }

    /// <summary>Holds the first read of <paramref name="partition"/> (or its first commit) until released: a slow copier.</summary>
    private sealed class HeldCopy(Storage.IDocumentStore inner, string partition, bool commit = false) : Storage.IDocumentStore
    {
        private readonly TaskCompletionSource holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int held;

        public Task Holding => holding.Task;
        public void Release() => released.TrySetResult();
        public Storage.StoreLimits Limits => inner.Limits;

        public async Task CommitAsync(Storage.Collection c, string p, IReadOnlyList<Storage.DocumentWrite> writes, CancellationToken ct = default)
        {
            if (commit) await HoldAsync(p);
            await inner.CommitAsync(c, p, writes, ct);
        }

        public async Task<IReadOnlyList<Storage.StoredDocument>> ReadAsync(Storage.Collection c, string p, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> prefixes, CancellationToken ct = default)
        {
            if (!commit) await HoldAsync(p);
            return await inner.ReadAsync(c, p, ids, prefixes, ct);
        }

        private async Task HoldAsync(string p)
        {
            if (p != partition || Interlocked.Exchange(ref held, 1) != 0) return;
            holding.TrySetResult();
            await released.Task;
        }

        public Task<Storage.DocumentPage> QueryAsync(Storage.Collection c, string p, string prefix, int size, string? token, CancellationToken ct = default) =>
            inner.QueryAsync(c, p, prefix, size, token, ct);
        public Task<Storage.PartitionDocumentPage> QueryAcrossPartitionsAsync(Storage.Collection c, string id, int size, string? token, CancellationToken ct = default) =>
            inner.QueryAcrossPartitionsAsync(c, id, size, token, ct);
        public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Storage.Collection c, string id, int size, string? token,
            CancellationToken ct = default) => inner.ListPartitionsAsync(c, id, size, token, ct);
        public Task PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);
    }

    /// <summary>P with buckets 1 and 2 made, an order in each.</summary>
    private static async Task<EscrowWorld> InEscrowAsync()
    {
        var w = await EscrowWorld.CreateAsync(atL1: 100);
        for (var b = 1; b <= 2; b++) await w.Instance(b).Reserve.ExecuteAsync(Order($"O{b}"));
        return w;
    }

    private static async Task DeactivateAsync(EscrowWorld w)
    {
        var product = (await new ProductPartitions(w.Memory).ProductAsync(EscrowWorld.Product, CancellationToken.None))!;
        await w.Instance(3).SaveProduct.ExecuteAsync(product with { IsActive = false });
    }

    [Fact]
    public async Task A_crash_at_any_write_of_a_save_then_its_retry_leaves_every_bucket_with_the_saved_product()
    {
        var clean = await InEscrowAsync();
        var writes = await CrashMatrix.WritesOfAsync(clean.Store, () => DeactivateAsync(clean));
        Assert.Equal(8, writes); // catalogue intent, enlisted, the product, catalogue confirmed, enlisted again, the copy into each of the 2 buckets, delisted

        await CrashMatrix.EveryWriteAsync(writes, async crash =>
        {
            var world = await InEscrowAsync();
            await CrashMatrix.CrashAsync(world.Store, crash, () => DeactivateAsync(world));
            await DeactivateAsync(world); // the merchant's retry of the same save

            var partitions = new ProductPartitions(world.Memory);
            for (var b = 1; b <= 2; b++) Assert.False((await partitions.ProductAsync($"P~{b}", CancellationToken.None))!.IsActive, $"{crash}: bucket {b}");
            Assert.True((await world.Instance(1).Invariants.CheckAsync(EscrowWorld.Product)).Holds, crash.ToString());
        });
    }

    [Fact]
    public async Task A_crash_at_any_write_of_a_save_never_retried_then_the_recovery_sweep_leaves_every_bucket_with_the_product()
    {
        var clean = await InEscrowAsync();
        var writes = await CrashMatrix.WritesOfAsync(clean.Store, () => DeactivateAsync(clean));

        await CrashMatrix.EveryWriteAsync(writes, async crash =>
        {
            var world = await InEscrowAsync();
            await CrashMatrix.CrashAsync(world.Store, crash, () => DeactivateAsync(world));
            // No retry: the merchant's platform gave up. The sweep, once the save is due, finishes its copies.
            var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
            Assert.Equal(0, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Failed);

            var partitions = new ProductPartitions(world.Memory);
            var product = (await partitions.ProductAsync(EscrowWorld.Product, CancellationToken.None))!;
            for (var b = 1; b <= 2; b++)
                Assert.Equal(product.IsActive, (await partitions.ProductAsync($"P~{b}", CancellationToken.None))!.IsActive);
            Assert.True((await world.Instance(1).Invariants.CheckAsync(EscrowWorld.Product)).Holds, crash.ToString());
            Assert.Equal(0, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Open);
        });
    }

    [Fact]
    public async Task A_save_of_a_product_not_in_escrow_writes_nothing_more()
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.ProductAsync("Q");
        var store = new CountingStore(s.App.Store);
        var app = new InventoryApplication(store);
        var product = (await app.Catalog.GetProductAsync("Q"))!;

        await app.SaveProduct.ExecuteAsync(product with { Name = "Renamed" });

        Assert.Equal(0, store.Calls("Commit", Storage.Collection.Orders)); // no open-saga entry: there is no bucket to copy into
    }

    [Fact]
    public async Task The_audit_reports_a_bucket_whose_copy_of_the_product_is_not_the_products_until_it_is_saved_again()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(Order("O1"));
        var partitions = new ProductPartitions(world.Memory);
        var copy = await partitions.StoredProductAsync("P~1", CancellationToken.None);
        await world.Memory.CommitAsync(Storage.Collection.Products, "P~1", [ProductPartitionIds.Typed(new Storage.DocumentWrite.Replace(ProductPartitionIds.Product,
            ProductRevisions.Write(copy.Product! with { IsActive = false }, copy.Revision), copy.ETag!))]); // a copy left by a crash, at its revision

        var report = await app.Invariants.CheckAsync(EscrowWorld.Product);
        Assert.Contains(report.Violations, v => v.StartsWith("bucket 1: ", StringComparison.Ordinal) && v.Contains("copy of the product", StringComparison.Ordinal));

        await SaveAsync(world, active: true);
        Assert.True((await app.Invariants.CheckAsync(EscrowWorld.Product)).Holds);
    }

    /// <summary>
    /// A product and its copies written before copies carried the product's revision (none: 0) are copied by the next save
    /// as before, and from then on carry its revision.
    /// </summary>
    [Fact]
    public async Task A_product_and_copies_written_before_revisions_are_copied_by_the_next_save()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(1).Reserve.ExecuteAsync(Order("O1"));
        foreach (var partition in new[] { EscrowWorld.Product, "P~1" })
        {
            var stored = (await world.Memory.ReadAsync(Storage.Collection.Products, partition, [ProductPartitionIds.Product], [])).Single();
            var before = System.Text.Json.Nodes.JsonNode.Parse(stored.Body)!.AsObject();
            Assert.True(before.Remove("revision"), partition);
            await world.Memory.CommitAsync(Storage.Collection.Products, partition,
                [ProductPartitionIds.Typed(new Storage.DocumentWrite.Replace(ProductPartitionIds.Product, before.ToJsonString(), stored.ETag))]);
        }

        await SaveAsync(world, active: false);

        var copy = (await world.Memory.ReadAsync(Storage.Collection.Products, "P~1", [ProductPartitionIds.Product], [])).Single();
        Assert.False(DocumentJson.Read<Product>(copy.Body).IsActive);
        Assert.Contains("\"revision\":1", copy.Body);
        Assert.True((await world.Instance(1).Invariants.CheckAsync(EscrowWorld.Product)).Holds);
    }
}
