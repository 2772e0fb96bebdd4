using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review (r2, PutAwayPlans as a post-commit step). The post-commit steps run "after every stock commit and
/// every replay of one (a replay carries no entry but the balances, so a crash between the commit and this step is caught
/// up by the retry)" (docs/architecture.md). PutAwayPlans runs after LocationLoads and reads only the ledger entries. When
/// a direct receipt is committed and the loads write after it fails (a store blip: the caller gets a 503 and retries),
/// PutAwayPlans never runs for the commit; the retry is a replay, which writes the loads from the balances but carries no
/// entry, so the cached planner never takes the units in. The next purchase-order line is planned into the room they took
/// and the location is filled beyond its capacity for as long as the cache lives: the overfill
/// APutAwayPlanAfterADirectReceiptDoesNotOverfillTests closed, back after one failed write. Deterministic: the clock does
/// not move.
/// </summary>
public class ADirectReceiptRetriedAfterItsLoadsFailedIsTakenIntoThePlannerTests
{
    [Fact]
    public async Task A_line_planned_after_a_direct_receipt_retried_past_a_failed_loads_write_does_not_overfill()
    {
        var store = new FailNextCommit(new InMemoryDocumentStore());
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(store, clock);
        await TwoUnitBulk.ArrangeAsync(app, ("PO1", 2));
        var first = await app.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO1", "R1"));
        Assert.Equal("BULK", first.Lines.Single().LocationId); // the planner is built and cached: one unit of room left

        store.Fail = (collection, partition) => collection == Collection.Warehouses && partition == "W1"; // the loads write after the commit
        await Assert.ThrowsAsync<StoreUnavailableException>(() => app.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 1, "direct-1")));
        var retried = await app.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 1, "direct-1")); // the client's retry: a replay
        Assert.True(retried.Replayed);

        var second = await app.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO1", "R2"));

        var at = await TwoUnitBulk.OnHandAsync(app);
        Assert.Equal(2, at["BULK"]); // not 3 units in a location holding 2
        Assert.Equal("OVF", second.Lines.Single().LocationId);
    }

    /// <summary>Fails the next commit <see cref="Fail"/> names, before it is applied, as an outage would.</summary>
    private sealed class FailNextCommit(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Collection, string, bool>? Fail { get; set; }

        public override Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (Fail?.Invoke(collection, partition) == true)
            {
                Fail = null;
                throw new StoreUnavailableException("in-memory store", "Injected outage of one write.");
            }
            return base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }
}
