using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>A product P in escrow with four buckets, stocked at L1 (and L2 in warehouse W2), over one in-memory store.</summary>
internal sealed class EscrowWorld
{
    public const string Product = "P";
    public InMemoryDocumentStore Memory { get; } = new();
    public FaultyStore Store { get; }
    /// <summary>Holds a commit in flight when a test closes it.</summary>
    public Coalescing.GatedStore Gate { get; }

    private EscrowWorld()
    {
        Gate = new Coalescing.GatedStore(Memory);
        Store = new FaultyStore(Gate);
    }

    public static async Task<EscrowWorld> CreateAsync(long atL1 = 100, long atL2 = 0)
    {
        var world = new EscrowWorld();
        var s = new StockScenario(world.Instance(1));
        await s.WarehouseAsync("W1");
        await s.WarehouseAsync("W2");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W2", "L2");
        await s.ProductAsync(Product);
        if (atL1 > 0) await s.StockAsync(Product, "L1", atL1);
        if (atL2 > 0) await s.StockAsync(Product, "L2", atL2);
        return world;
    }

    /// <summary>An application instance over the world's store, reserving P in <paramref name="bucket"/>.</summary>
    public InventoryApplication Instance(int bucket, TimeProvider? clock = null, ConcurrencyOptions? concurrency = null) =>
        Over(Store, bucket, clock, concurrency);

    /// <summary>An instance reserving P in <paramref name="bucket"/> over another store (one past the gate, or faulty of its own).</summary>
    public static InventoryApplication Over(Storage.IDocumentStore store, int bucket, TimeProvider? clock = null, ConcurrencyOptions? concurrency = null) =>
        new(store, clock, concurrency)
        {
            EscrowOptions = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { Product }, Buckets = 4, Bucket = bucket },
        };

    public static EscrowBucket Bucket(int index) => new(Product, index);

    /// <summary>(on hand, reserved) of a partition, the product's or a bucket's; (0, 0) for a bucket never granted anything.</summary>
    public async Task<(long OnHand, long Reserved)> StockOfAsync(string partition)
    {
        var stock = await new ProductPartitions(Memory).StockAsync(partition, CancellationToken.None, withBuckets: false);
        return stock is { } s ? (s.Balances.Sum(b => b.QuantityOnHand), s.Balances.Sum(b => b.QuantityReserved)) : (0, 0);
    }

    /// <summary>
    /// The escrow's books: each bucket's on hand, location by location, is what the product holds for it; each partition's
    /// own books balance; nothing is negative. Returns what the buckets hold in all.
    /// </summary>
    public async Task<long> AssertEscrowBalancesAsync()
    {
        var partitions = new ProductPartitions(Memory);
        var app = Instance(1);
        Assert.True((await app.Invariants.CheckAsync(Product)).Holds);
        var product = await partitions.LoadAsync(Product, new StockRead([.. Enumerable.Range(1, 4).Select(i => Bucket(i).Holder)], []));
        long held = 0;
        foreach (var bucket in Enumerable.Range(1, 4).Select(Bucket))
        {
            var hold = product!.Stock.Reservation(bucket.Holder);
            var stock = await partitions.StockAsync(bucket.Partition, CancellationToken.None, withBuckets: false);
            var byLocation = stock?.Balances.Where(b => b.QuantityOnHand != 0).ToDictionary(b => b.LocationId, b => b.QuantityOnHand) ?? [];
            var heldHere = hold?.Allocations.GroupBy(a => a.LocationId).Where(g => g.Sum(a => a.Remaining) != 0)
                .ToDictionary(g => g.Key, g => g.Sum(a => a.Remaining)) ?? [];
            Assert.Equal(heldHere.OrderBy(kv => kv.Key), byLocation.OrderBy(kv => kv.Key));
            if (stock is not null)
            {
                var report = await app.Invariants.CheckAsync(bucket.Partition);
                Assert.True(report.Holds, string.Join("\n", report.Violations));
                Assert.All(stock.Value.Balances, b => Assert.InRange(b.QuantityReserved, 0, b.QuantityOnHand));
            }
            held += heldHere.Values.Sum();
        }
        return held;
    }
}
