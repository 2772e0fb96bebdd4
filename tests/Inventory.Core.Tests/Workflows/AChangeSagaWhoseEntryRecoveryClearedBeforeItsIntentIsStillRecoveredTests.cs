using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// The change saga's side of <see cref="AReserveSagaWhoseEntryRecoveryClearedBeforeItsClaimIsStillRecoveredTests"/>. A
/// fulfilment enlists the order (kind <c>change</c>) before recording its intent; recovery delists an order with no
/// pending intent, deleting the entry as it read it. A driver that enlisted and whose intent is still on its way when the
/// entry fell due records it right after recovery looked, nothing changes the entry, so the delete lands. If that driver
/// then ships one product and dies, nothing leads recovery to the pending intent: the order stays shipped on A and
/// reserved on B, the intent open, for good (only a retry of that very request would finish it). docs/architecture.md
/// (Workflows: fulfilment and release) says recovery finishes the steps the intent recorded, and that a change which
/// enlists meanwhile keeps its entry: the first driver does not enlist again.
/// </summary>
public class AChangeSagaWhoseEntryRecoveryClearedBeforeItsIntentIsStillRecoveredTests
{
    private const string OrderId = "O-1";


    [Fact]
    public async Task A_fulfilment_whose_entry_recovery_removed_while_its_intent_was_being_recorded_is_still_finished_by_recovery()
    {
        var memory = new InMemoryDocumentStore();
        var store = new AtTheIntentStore(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]));
        var recovery = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };

        // The fulfilment has enlisted; its intent is on its way when the sweep finds the entry due and no intent pending.
        store.AtIntent = async () => await recovery.RecoverOrders.ExecuteAsync();
        store.DieAtB = true;
        await Assert.ThrowsAsync<StoreFaultException>(() =>
            new InventoryApplication(store).Fulfill.ExecuteAsync(new ReservationChangeCommand(OrderId, Reference: "ship-1")));
        store.DieAtB = false;

        // The caller gives up; the sweep runs again, later, on a fresh instance.
        var later = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await later.RecoverOrders.ExecuteAsync();

        var view = await later.Orders.ViewAsync(OrderId, default);
        Assert.True(view.Lines.All(l => l.Shipped == l.Requested),
            "the fulfilment's intent stays pending, applied on part of the order: " +
            string.Join(", ", view.Lines.Select(l => $"{l.ProductId} shipped {l.Shipped} of {l.Requested}, {l.Remaining} still reserved")));
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
