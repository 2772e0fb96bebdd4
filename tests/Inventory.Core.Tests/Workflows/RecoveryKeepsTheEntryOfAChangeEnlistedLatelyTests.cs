using Inventory.Application.Orders;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// The order's <c>change|{orderId}</c> entry keeps the time its oldest change began, so it can be due while a change of
/// the busy order has just enlisted it again and not recorded its intent yet. Recovery that finds nothing pending then
/// leaves the entry (it was enlisted within the recovery delay): removed, that change, dying after its intent, would
/// never be recovered.
/// </summary>
public class RecoveryKeepsTheEntryOfAChangeEnlistedLatelyTests
{
    private const string OrderId = "O-1";

    /// <summary>The first change dies before its intent; the second's intent waits for a recovery run, and its process dies before B's step.</summary>
    private sealed class Steered(IDocumentStore inner) : DelegatingStore(inner)
    {
        public int IntentsSeen;
        public Func<Task>? BeforeSecondIntent { get; set; }
        public volatile bool FailProductB;

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Orders && partition == OrderId
                && writes.Any(w => w is DocumentWrite.Create c && c.Id.StartsWith(OrderHeaders.IntentPrefix, StringComparison.Ordinal)))
            {
                if (++IntentsSeen == 1) throw new StoreUnavailableException("test", "The process died before its intent (test).");
                if (BeforeSecondIntent is { } run) await run();
            }
            if (FailProductB && collection == Collection.Products && partition == "B")
                throw new StoreUnavailableException("test", "The process died before the product's step (test).");
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_change_enlisted_while_recovery_finds_the_order_idle_is_still_recovered()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var store = new Steered(new InMemoryDocumentStore());
        var s = StockScenario.Over(store, clock);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await s.StockAsync("A", "L1", 10);
        await s.StockAsync("B", "L1", 10);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 4)]));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => s.App.Release.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("A")], Reference: "R1")));

        clock.Advance(TimeSpan.FromSeconds(70)); // the entry is due from R1; R2 enlists it again, and recovery runs before R2's intent
        store.BeforeSecondIntent = async () => await s.App.RecoverOrders.ExecuteAsync();
        store.FailProductB = true;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s.App.Release.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("B")], Reference: "R2")));
        store.FailProductB = false;

        clock.Advance(TimeSpan.FromSeconds(70));
        await s.App.RecoverOrders.ExecuteAsync();

        Assert.Empty(await s.App.Orders.OpenIntentsAsync(OrderId, default)); // R2 finished, not left pending
        Assert.Equal((2L, 0L), ((await s.App.Stock.GetStockAsync("A")).QuantityReserved, (await s.App.Stock.GetStockAsync("B")).QuantityReserved));
        await s.AssertBooksBalanceAsync("B");
    }
}
