using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found by the fault-injection mix (<see cref="FaultInjectionModelTests"/>: an order of one product whose hold expired
/// long ago still holding its units after every sweep). docs/architecture.md (One-product orders) says: "A retry coming
/// after its hold fell due writes the entry again before its commit; a sweep in between would find nothing held and remove
/// it, so such a retry writes the entry once more after its commit." That second write comes only after the retry heard
/// its commit's answer: when the commit lands and its answer is lost (the process dies, or the store times out and the
/// caller gives up), the reservation stands with no hold entry, and no sweep ever releases it.
/// </summary>
public class ARetryAfterItsHoldFellDueWhoseAnswerWasLostStillExpiresTests
{
    private const string OrderId = "O-1";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Kills the first attempt at its hold entry; runs <see cref="AtReservation"/> before the retry's commit to P, which then lands unheard.</summary>
    private sealed class Steered(IDocumentStore inner) : DelegatingStore(inner)
    {
        public bool DieAtHold { get; set; }
        public Func<Task>? AtReservation { get; set; }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (DieAtHold && collection == Collection.Holds)
            {
                DieAtHold = false;
                throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition); // claimed, then died
            }
            if (collection == Collection.Products && partition == "P" && AtReservation is { } atReservation)
            {
                AtReservation = null;
                await atReservation();
                await base.CommitAsync(collection, partition, writes, cancellationToken);
                throw new StoreFaultException(0, FaultSide.LostAcknowledgement, collection, partition); // landed; the process dies before the answer
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_one_product_order_retried_after_its_hold_fell_due_whose_commit_landed_unheard_is_released_by_the_sweep()
    {
        var memory = new InMemoryDocumentStore();
        var store = new Steered(memory);
        var clock = new ManualClock(Now);
        var s = new StockScenario(new InventoryApplication(store, clock));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("P");
        await s.StockAsync("P", "L1", 10);
        var order = new ReserveCommand(OrderId, [new("P", 4)], HoldMinutes: 1);

        // The first attempt claims the order and dies before anything is held.
        store.DieAtHold = true;
        await Assert.ThrowsAsync<StoreFaultException>(() => new InventoryApplication(store, clock).Reserve.ExecuteAsync(order));

        // Its retry comes after the hold fell due: the sweep runs between its hold entry and its commit, which would land
        // unheard. Since the sweep's fence (AReservationLandingAfterTheSweepExpiredItsHoldHoldsNothingTests) the sweep records
        // the order expired where it holds nothing, so that commit loses on the head and the retry finds the order expired.
        clock.Advance(TimeSpan.FromMinutes(2));
        store.AtReservation = async () => await new InventoryApplication(memory, clock).ExpireHolds.ExecuteAsync();
        var retried = await new InventoryApplication(store, clock).Reserve.ExecuteAsync(order);
        Assert.Equal(OrderReservationStatus.Released, retried.Reservation.Status);

        // The caller gives up; the sweep goes on running.
        clock.Advance(TimeSpan.FromMinutes(5));
        var later = new InventoryApplication(memory, clock);
        await later.ExpireHolds.ExecuteAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        await later.ExpireHolds.ExecuteAsync();

        var view = await later.Orders.ViewAsync(OrderId, default);
        Assert.True(view.Lines.All(l => l.Remaining == 0),
            $"{OrderId}'s hold expired at {view.HoldExpiresAt:HH:mm}, the clock is at {clock.GetUtcNow():HH:mm}, yet it holds " +
            string.Join(", ", view.Lines.Select(l => $"{l.ProductId}: {l.Remaining}")) + $" ({view.Status})");
        await s.AssertBooksBalanceAsync("P");
    }
}
