using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Order O1 (3 of P, one product) whose claimant is refused by its product's decision (P deactivated after it was seen
/// active), held at the refusal's header write past its exclusive time, and whose process dies right after that write:
/// the header reads REJECTED and the compensation never reaches P. Optionally a twin of the order, sent meanwhile (P
/// active again), reserved the 3 units (answered RESERVED). "warm" holds 1 unit of P throughout.
/// </summary>
internal sealed class RefusedClaimant
{
    public const string OrderId = "O1";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    public required EscrowWorld World { get; init; }
    public required ManualClock Clock { get; init; }
    public required ReserveCommand Order { get; init; }
    /// <summary>The twin's answer (null: no twin).</summary>
    public string? TwinAnswer { get; init; }

    /// <summary>A fresh instance over the store (the dead one is gone).</summary>
    public InventoryApplication Instance() => new(World.Memory, Clock);

    /// <summary>The claimant's process: its first header change waits for the test; every commit after it fails (dead).</summary>
    private sealed class DiesAfterItsRefusal(IDocumentStore inner) : DelegatingStore(inner)
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool dead;

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (dead) throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition); // the process is gone
            var refusal = collection == Collection.Orders && writes.Any(w => w is DocumentWrite.Replace);
            if (refusal)
            {
                Reached.TrySetResult();
                await Release.Task;
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            if (refusal) dead = true;
        }
    }

    /// <param name="beforeItLands">Run by another instance after the twin, before the refusal lands on the header.</param>
    public static async Task<RefusedClaimant> StartAsync(bool twinReserves, int? holdMinutes = null, Func<EscrowWorld, ManualClock, Task>? beforeItLands = null)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var clock = new ManualClock(Now);
        var dying = new DiesAfterItsRefusal(world.Memory);
        var claimantApp = new InventoryApplication(dying, clock);
        await claimantApp.Reserve.ExecuteAsync(new ReserveCommand("warm", [new(EscrowWorld.Product, 1)])); // P seen active: not read again for a second
        await claimantApp.SaveProduct.ExecuteAsync(Product(active: false));

        var order = new ReserveCommand(OrderId, [new(EscrowWorld.Product, 3)], HoldMinutes: holdMinutes);
        var claimant = Task.Run(() => claimantApp.Reserve.ExecuteAsync(order));
        await dying.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(10));

        string? twin = null;
        var other = new InventoryApplication(world.Memory, clock);
        if (twinReserves)
        {
            await other.SaveProduct.ExecuteAsync(Product(active: true));
            twin = await StalledClaimant.Answer(async () => (await other.Reserve.ExecuteAsync(order)).Reservation);
        }
        if (beforeItLands is not null) await beforeItLands(world, clock);
        dying.Release.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => claimant); // dead after writing REJECTED on the header
        Assert.True((await other.Orders.FindAsync(OrderId, default))?.State is OrderSagaState.Rejected);
        return new RefusedClaimant { World = world, Clock = clock, Order = order, TwinAnswer = twin };
    }

    private static Product Product(bool active) => new() { ProductId = EscrowWorld.Product, Sku = "SKU-P", Name = "P", IsActive = active };

    /// <summary>What P holds reserved: "warm"'s unit, and O1's if it holds any.</summary>
    public async Task<long> ReservedAsync() => (await Instance().Stock.GetStockAsync(EscrowWorld.Product)).QuantityReserved;
}
