using Inventory.Application;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// A product P (stock at L1 of W1) over a store that lets the first commit writing <see cref="Order"/>'s reservation
/// land, runs <see cref="Meanwhile"/> (another instance's request), then answers it as a lost race: what the Table SDK's
/// retry of a commit whose answer was lost reports. <see cref="A"/> is the claimant's instance, <see cref="B"/> another
/// one over the same store, both on one clock.
/// </summary>
internal sealed class LandedUnheard(IDocumentStore inner) : DelegatingStore(inner)
{
    public const string Order = "O1";
    public Func<Task>? Meanwhile { get; set; }
    public int Lost { get; private set; }
    public StockScenario A { get; private set; } = null!;
    public StockScenario B { get; private set; } = null!;

    public static async Task<LandedUnheard> CreateAsync(bool coalesce, long stock)
    {
        var memory = new InMemoryDocumentStore();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var options = new ConcurrencyOptions { Coalesce = coalesce };
        var store = new LandedUnheard(memory);
        store.A = new StockScenario(new InventoryApplication(store, clock, options));
        await store.A.WarehouseAsync("W1");
        await store.A.LocationAsync("W1", "L1");
        await store.A.ProductAsync("P");
        await store.A.StockAsync("P", "L1", stock);
        store.B = new StockScenario(new InventoryApplication(memory, clock, options));
        return store;
    }

    public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
    {
        await base.CommitAsync(collection, partition, writes, ct);
        if (collection != Collection.Products || Lost > 0 || !ReservationWrites.Orders(writes).Contains(Order)
            || !writes.Any(w => w is DocumentWrite.Create)) return;
        Lost++;
        if (Meanwhile is { } meanwhile) await meanwhile();
        throw new CommitConflictException(ConflictKind.PreconditionFailed, null);
    }
}
