using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>Where a stalled claimant reserves: the product's partition, a bucket made, a bucket not made yet.</summary>
public enum StalledIn { Product, Bucket, BucketNotMadeYet }

/// <summary>
/// Order O1 (3 of P) whose claimant is held at its first commit where the order is reserved (the product's partition, a
/// bucket made, or a bucket not made yet), the clock then moved past its exclusive time and the skew.
/// </summary>
internal sealed class StalledClaimant
{
    public const string OrderId = "O1";

    public required EscrowWorld World { get; init; }
    public required ManualClock Clock { get; init; }
    public required GateFirstCommit Gate { get; init; }
    public required Task<ReserveResult> Claimant { get; init; }
    public required StalledIn In { get; init; }
    public required ReserveCommand Order { get; init; }

    /// <summary>Another instance over the world's store (reserving P in <paramref name="bucket"/> when in escrow).</summary>
    public InventoryApplication Instance(int bucket, ConcurrencyOptions? concurrency = null) => Over(World.Memory, In, Clock, bucket, concurrency);

    private static InventoryApplication Over(IDocumentStore store, StalledIn where, ManualClock clock, int bucket, ConcurrencyOptions? concurrency = null) =>
        where is StalledIn.Product ? new InventoryApplication(store, clock, concurrency) : EscrowWorld.Over(store, bucket, clock, concurrency);

    public static async Task<StalledClaimant> StartAsync(StalledIn where, int? holdMinutes = null)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        if (where is StalledIn.Bucket) await Over(world.Memory, where, clock, 1).Reserve.ExecuteAsync(new ReserveCommand("O0", [new(EscrowWorld.Product, 20)])); // bucket 1 made
        var order = new ReserveCommand(OrderId, [new(EscrowWorld.Product, 3)], HoldMinutes: holdMinutes);
        var gate = new GateFirstCommit(world.Memory, Collection.Products, where is StalledIn.Product ? EscrowWorld.Product : EscrowWorld.Bucket(1).Partition);
        var claimant = Task.Run(() => Over(gate, where, clock, 1).Reserve.ExecuteAsync(order));
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(10));
        return new StalledClaimant { World = world, Clock = clock, Gate = gate, Claimant = claimant, In = where, Order = order };
    }

    /// <summary>Lets the claimant go on; its answer.</summary>
    public async Task<string> ClaimantAnswerAsync()
    {
        Gate.Release.TrySetResult();
        return await Answer(async () => (await Claimant).Reservation);
    }

    /// <summary>O1 holds nothing and reads released, the books (and the escrow's) balance, no change of it is open.</summary>
    public async Task AssertReleasedHoldingNothingAsync()
    {
        var app = Instance(2);
        var view = await app.Orders.ViewAsync(OrderId, default);
        Assert.True(view.Status == OrderReservationStatus.Released && view.Lines.All(l => l.Remaining == 0),
            $"{OrderId} reads {view.Status}, holding {view.Lines.Sum(l => l.Remaining)}");
        await new StockScenario(app).AssertBooksBalanceAsync(EscrowWorld.Product);
        if (In is not StalledIn.Product) await World.AssertEscrowBalancesAsync();
        Assert.Empty(await app.Orders.OpenIntentsAsync(OrderId, default));
    }

    /// <summary>An answer as a caller reads it: status, each line's outcome (a change), requested/reserved/remaining; or the refusal.</summary>
    public static async Task<string> Answer(Func<Task<ReservationView>> answer)
    {
        try
        {
            var view = await answer();
            var change = view.Change is { } c ? " " + string.Join(",", c.Lines.Select(l => $"{l.ProductId}:{l.Outcome}")) : "";
            return $"{view.Status}{change} " + string.Join(",", view.Lines.Select(l => $"{l.Requested}/{l.Reserved}/{l.Remaining}"));
        }
        catch (DomainException e) { return $"{e.GetType().Name} {e.Code}: {e.Message}"; }
    }
}
