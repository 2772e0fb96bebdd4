using Inventory.Application.Orders;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// From the team's notes: every change of an order enlists the order's one entry <c>change|{orderId}</c> again, and that
/// upsert moved the entry's time to now. A change whose instance died after its intent stayed pending while later
/// changes of the same order kept arriving within <see cref="OrderOptions.RecoverAfterSeconds"/>: the entry never looked
/// due, so <see cref="RecoverOrders"/> never finished it and its units stayed reserved while the order was busy.
/// </summary>
public class AStuckChangeOfABusyOrderIsRecoveredTests
{
    private const string OrderId = "O-1";

    /// <summary>The process of the change releasing A dies after its intent, before A's step.</summary>
    private sealed class DiesBeforeA(IDocumentStore inner) : DelegatingStore(inner)
    {
        public volatile bool Dying;

        public override Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            Dying && collection == Collection.Products && partition == "A"
                ? throw new StoreUnavailableException("test", "The process died before the product's step (test).")
                : base.CommitAsync(collection, partition, writes, cancellationToken);
    }

    [Fact]
    public async Task A_change_left_pending_is_due_from_when_it_began_though_later_changes_of_the_order_keep_coming()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var store = new DiesBeforeA(new InMemoryDocumentStore());
        var s = StockScenario.Over(store, clock);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await s.StockAsync("A", "L1", 10);
        await s.StockAsync("B", "L1", 10);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 4)]));

        store.Dying = true;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s.App.Release.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("A")], Reference: "R1")));
        store.Dying = false;

        // The order stays busy: a change every 40 s, each well inside the recovery delay of the one before.
        clock.Advance(TimeSpan.FromSeconds(40));
        await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("B", 1)], Reference: "S1"));
        clock.Advance(TimeSpan.FromSeconds(40));
        await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("B", 1)], Reference: "S2"));

        // 80 s after R1 began, 0 s after the last change: R1 is past the 60 s delay.
        var result = await s.App.RecoverOrders.ExecuteAsync();

        Assert.Equal(1, result.Due);
        Assert.Empty(await s.App.Orders.OpenIntentsAsync(OrderId, default));
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
