using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found by the fault-injection mix run four at a time (<see cref="FaultInjectionModelTests"/>, seeds 21 and 79: "MO233's
/// hold expired long ago, yet it holds M2~1: 2", M2 in escrow). A retry of a one-product order comes after its hold fell
/// due: it writes the hold entry, then stalls before its commit (waiting out the claimant, making its bucket, asking for a
/// grant) for longer than <see cref="OrderOptions.RecoverAfterSeconds"/>, the time the sweep keeps an entry whose order holds
/// nothing (the entry's <c>writtenAt</c>). The sweep finds nothing held (the reservation, or the bucket, not made
/// yet) and removes the entry; the retry's reservation lands after, and the entry it writes again after its commit fails:
/// units held for an expired hold that no sweep ever releases. The grace was a time bound against a stalled request; the
/// sweep now fences the order where it holds nothing (<see cref="Inventory.Domain.ProductStock.CloseForExpiredHold"/>). The
/// cases: the product's own partition, a bucket made, a bucket not made yet.
/// </summary>
public class AReservationLandingAfterTheSweepExpiredItsHoldHoldsNothingTests
{
    private const string OrderId = "O1";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Kills the first hold entry write (the claimant dies, nothing held); runs <see cref="AtFirstCommit"/> before the first
    /// commit in <see cref="Partition"/>, and fails the hold entry written after that commit landed.
    /// </summary>
    private sealed class Steered(IDocumentStore inner, string partition) : DelegatingStore(inner)
    {
        public string Partition { get; } = partition;
        public bool DieAtHold { get; set; } = true;
        public Func<Task>? AtFirstCommit { get; set; }
        private bool landed;

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Holds && (DieAtHold || landed))
            {
                if (DieAtHold) { DieAtHold = false; throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition); }
                throw new StoreUnavailableException("test", "The store is unavailable (test)."); // the hold entry written again after the commit
            }
            if (collection == Collection.Products && partition == Partition && AtFirstCommit is { } atFirstCommit)
            {
                AtFirstCommit = null;
                await atFirstCommit();
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            if (collection == Collection.Products && partition == Partition && writes.Any(w => w.Id.EndsWith("|" + OrderId, StringComparison.Ordinal)))
                landed = true;
        }
    }

    public enum Where { Product, Bucket, BucketNotMadeYet }

    [Theory]
    [InlineData(Where.Product)]
    [InlineData(Where.Bucket)]
    [InlineData(Where.BucketNotMadeYet)]
    public async Task A_retry_whose_reservation_lands_after_the_sweep_expired_its_hold_holding_nothing_holds_nothing(Where where)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var clock = new ManualClock(Now);
        var inEscrow = where is not Where.Product;
        InventoryApplication Over(IDocumentStore store, int bucket) =>
            inEscrow ? EscrowWorld.Over(store, bucket, clock) : new InventoryApplication(store, clock);
        var store = new Steered(world.Memory, inEscrow ? EscrowWorld.Bucket(1).Partition : EscrowWorld.Product);
        if (where is Where.Bucket) await Over(world.Memory, 1).Reserve.ExecuteAsync(new ReserveCommand("O0", [new(EscrowWorld.Product, 2)])); // bucket 1 made
        var order = new ReserveCommand(OrderId, [new(EscrowWorld.Product, 3)], HoldMinutes: 1);

        // The first attempt claims the order and dies at its hold entry: nothing held.
        await Assert.ThrowsAsync<StoreFaultException>(() => Over(store, 1).Reserve.ExecuteAsync(order));

        // Its retry comes after the hold fell due, writes the entry, and stalls before its first commit there past the
        // sweep's grace: the sweep runs, finds nothing held and removes the entry; the retry goes on.
        clock.Advance(TimeSpan.FromMinutes(2));
        store.AtFirstCommit = async () =>
        {
            clock.Advance(TimeSpan.FromMinutes(2));
            await Over(world.Memory, 2).ExpireHolds.ExecuteAsync();
        };
        var retried = await Answer(() => Over(store, 1).Reserve.ExecuteAsync(order));

        // The caller gives up; the sweep goes on running.
        var later = Over(world.Memory, 2);
        for (var sweep = 0; sweep < 2; sweep++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            await later.ExpireHolds.ExecuteAsync();
        }

        var view = await later.Orders.ViewAsync(OrderId, default);
        Assert.True(view.Lines.All(l => l.Remaining == 0),
            $"{OrderId}'s hold expired at {view.HoldExpiresAt:HH:mm}, the clock is at {clock.GetUtcNow():HH:mm}, yet it holds " +
            string.Join(", ", view.Lines.Select(l => $"{l.ProductId}: {l.Remaining}")) + $" ({view.Status}); the retry was answered {retried}");
        await new StockScenario(later).AssertBooksBalanceAsync(EscrowWorld.Product);
        if (inEscrow) await world.AssertEscrowBalancesAsync();
        // The retry was answered as the order stands: sent again, the same answer.
        Assert.Equal(retried, await Answer(() => later.Reserve.ExecuteAsync(order)));
    }

    private static async Task<string> Answer(Func<Task<ReserveResult>> reserve)
    {
        try
        {
            var view = (await reserve()).Reservation;
            return $"{view.Status} " + string.Join(",", view.Lines.Select(l => $"{l.ProductId}:{l.Requested}/{l.Reserved}/{l.Remaining}"));
        }
        catch (Exception e) when (e is Inventory.Domain.DomainException or StoreFailureException) { return $"{e.GetType().Name}: {e.Message}"; }
    }
}
