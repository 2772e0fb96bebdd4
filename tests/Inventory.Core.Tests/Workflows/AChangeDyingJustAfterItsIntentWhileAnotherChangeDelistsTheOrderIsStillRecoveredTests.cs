using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Review (r1). A change enlists the order's one <c>change|{orderId}</c> entry, records its intent, then writes the entry
/// again (<see cref="OrderHeaders.EnlistSharedAgainAsync"/>) because another change of the order ending meanwhile (here a
/// replay of an earlier shipment) delists it: it read the entry, found no intent pending (this one's not landed yet) and
/// deleted it as read. Only recovery's own look (<see cref="ResumeReservationChanges.ResumeAsync"/>) keeps an entry
/// enlisted lately; the delisting every change makes at its end does not. So the entry of the change exists again only
/// once its second write lands: a change whose process dies right after its intent (before that write, a crash the crash
/// matrix injects at every write) is left with a pending intent and no entry. <see cref="RecoverOrders"/> never sees it:
/// the request the caller was told failed stays pending for good, its units reserved, while docs/architecture.md promises
/// that once the intent is recorded the saga runs to its end whatever the caller does, and that a change enlisting while
/// another delists keeps its entry.
/// </summary>
public class AChangeDyingJustAfterItsIntentWhileAnotherChangeDelistsTheOrderIsStillRecoveredTests
{
    private const string OrderId = "O-1";

    /// <summary>Runs <see cref="AtIntent"/> just before a change's intent reaches the store, then kills the driver at its next open-saga write.</summary>
    private sealed class Steered(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Task>? AtIntent { get; set; }
        private bool dieAtEntry;

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Orders && writes.Any(w => w is DocumentWrite.Create && w.Id.StartsWith("intent-open|", StringComparison.Ordinal))
                && AtIntent is { } atIntent)
            {
                AtIntent = null;
                await atIntent();
                await base.CommitAsync(collection, partition, writes, cancellationToken);
                dieAtEntry = true; // the intent is recorded: the process dies before its next write
                return;
            }
            if (dieAtEntry && collection == Collection.Orders && partition.StartsWith(OrderHeaders.OpenPartitionPrefix, StringComparison.Ordinal))
            {
                dieAtEntry = false;
                throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition);
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_fulfilment_dying_after_its_intent_while_a_replay_delists_the_order_is_still_finished_by_recovery()
    {
        var memory = new InMemoryDocumentStore();
        var store = new Steered(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]));
        var first = new ReservationChangeCommand(OrderId, [new ReservationLineChange("A", 1)], Reference: "ship-1");
        await s.App.Fulfill.ExecuteAsync(first);

        // The rest of the order is shipped; as its intent goes to the store, the first shipment's retry replays and ends
        // (delisting the order); the shipment's process dies right after its intent landed.
        store.AtIntent = async () => await new InventoryApplication(memory).Fulfill.ExecuteAsync(first);
        await Assert.ThrowsAsync<StoreFaultException>(() =>
            new InventoryApplication(store).Fulfill.ExecuteAsync(new ReservationChangeCommand(OrderId, Reference: "ship-2")));

        // The caller gives up; the sweep runs, later, on a fresh instance.
        var later = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await later.RecoverOrders.ExecuteAsync();

        var pending = await later.Orders.OpenIntentsAsync(OrderId, default);
        Assert.True(pending.Count == 0,
            $"intent(s) {string.Join(", ", pending.Select(i => i.Reference))} still pending after recovery, the order no longer enlisted");
        var view = await later.Orders.ViewAsync(OrderId, default);
        Assert.All(view.Lines, l => Assert.Equal(l.Requested, l.Shipped));
    }
}
