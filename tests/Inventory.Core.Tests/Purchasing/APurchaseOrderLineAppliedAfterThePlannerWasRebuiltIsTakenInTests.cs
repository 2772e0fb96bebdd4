using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review (r2, PutAwayPlans.HandleAsync). The cached put-away planner now takes in every unit a stock commit
/// puts at a location, except a purchase-order line's ("which the planner placed itself"), and the summary promises
/// "room is only ever under-counted". A line is placed when its receipt is accepted and applied after; the planner that
/// placed it may be gone by then: it was rebuilt from the stored loads (older than MaxAge, or a refusal's rebuild) while
/// the line was in flight, so the rebuilt planner never counted it, and HandleAsync skips it when it lands because its
/// reference is 'po|...'. From then on the cached planner thinks the location has the line's room free, and the next line
/// is put there beyond its capacity (nothing checks capacity at the stock commit), until the next rebuild. Two receipts of
/// one warehouse handled concurrently (the queue trigger's concurrency) are enough. Deterministic here: the second receipt
/// runs whole right after the first one's acceptance is committed, with the clock moved past MaxAge.
/// </summary>
public class APurchaseOrderLineAppliedAfterThePlannerWasRebuiltIsTakenInTests
{
    [Fact]
    public async Task A_line_planned_after_another_receipt_landed_in_flight_does_not_overfill_the_location()
    {
        var store = new RunAfterCommit(new InMemoryDocumentStore());
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(store, clock);
        await TwoUnitBulk.ArrangeAsync(app, ("PO1", 1), ("PO2", 1), ("PO3", 1));

        ReceiptOutcome? second = null;
        store.Hook = (collection, partition) => collection == Collection.PurchaseOrders && partition == "PO1"
            ? async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(31)); // the cached planner is older than MaxAge: the next plan rebuilds it
                second = await app.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO2", "R2"));
            }
            : null;
        var first = await app.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO1", "R1"));
        store.Hook = null;
        Assert.Equal(("BULK", "BULK"), (first.Lines.Single().LocationId, second!.Lines.Single().LocationId)); // BULK full now

        var third = await app.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO3", "R3"));

        var at = await TwoUnitBulk.OnHandAsync(app);
        Assert.Equal(2, at["BULK"]); // not 3 units in a location holding 2
        Assert.Equal("OVF", third.Lines.Single().LocationId);
    }

    /// <summary>Runs the hook's action once, right after the first commit it names has landed.</summary>
    private sealed class RunAfterCommit(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Collection, string, Func<Task>?>? Hook { get; set; }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            if (Hook?.Invoke(collection, partition) is { } action)
            {
                Hook = null;
                await action();
            }
        }
    }
}
