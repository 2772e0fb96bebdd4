using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review 7: a fulfilment of several products whose every step is refused (here: the hold expired, and the sweep
/// released the order between the fulfilment's plan and its steps) applied nothing, yet it is answered 200 with each line
/// "refused" and its reference stays bound to that empty outcome. The API promises that a request refused before anything
/// is applied is a problem (409 <c>invalid-state</c>), and that only "once one product is applied the answer is 200":
/// <see cref="ChangeReservation.FinishAsync"/> treats a refusal as the answer only when the intent has one line.
/// </summary>
public class AFulfilmentThatShipsNothingIsNotAnsweredAsAppliedTests
{
    private const string OrderId = "O-1";

    /// <summary>Runs the hold sweep right after the fulfilment's intent lands, before its first step.</summary>
    private sealed class SweepAfterIntent(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Task>? Sweep { get; set; }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            if (collection == Collection.Orders && partition == OrderId && Sweep is { } sweep
                && writes.Any(w => w is DocumentWrite.Create c && c.Id.StartsWith(OrderHeaders.IntentPrefix, StringComparison.Ordinal)))
            {
                Sweep = null;
                await sweep();
            }
        }
    }

    [Fact]
    public async Task A_fulfilment_whose_every_line_was_released_by_hold_expiry_meanwhile_is_refused_not_answered_200()
    {
        var memory = new InMemoryDocumentStore();
        var store = new SweepAfterIntent(memory);
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero));
        var s = StockScenario.Over(store, clock);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await s.StockAsync("A", "L1", 10);
        await s.StockAsync("B", "L1", 10);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)], HoldMinutes: 30));
        clock.Advance(TimeSpan.FromMinutes(31)); // due, the sweep not run yet

        var sweeper = StockScenario.Over(memory, clock).App;
        store.Sweep = async () => Assert.Equal(1, (await sweeper.ExpireHolds.ExecuteAsync()).OrdersReleased);

        var answer = await Record.ExceptionAsync(() => s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand(OrderId, Reference: "ship-1")));

        Assert.Null(store.Sweep); // the sweep ran between the plan and the steps
        Assert.Equal(10, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand); // nothing shipped
        Assert.Equal(10, (await s.App.Stock.GetStockAsync("B")).QuantityOnHand);
        Assert.IsType<InvalidStateException>(answer); // today: no exception, a 200 whose lines are all "refused"
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
