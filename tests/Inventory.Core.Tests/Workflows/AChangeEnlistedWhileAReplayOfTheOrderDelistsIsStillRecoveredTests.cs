using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Like <see cref="AChangeSagaWhoseEntryRecoveryClearedBeforeItsIntentIsStillRecoveredTests"/>, with no sweep and no stall:
/// every change of an order delists it when it ends (a replay of a finished change too), reading the order's one
/// <c>change|{orderId}</c> entry, then looking for pending intents, then deleting the entry as read. Another change of the
/// same order that enlisted before that read and records its intent just after the look (one round trip later) loses its
/// entry. If that change then ships one product and dies, nothing leads recovery to its pending intent: the order stays
/// half shipped for good. docs/architecture.md (Workflows: fulfilment and release) promises "a change that enlists
/// meanwhile keeps its entry".
/// </summary>
public class AChangeEnlistedWhileAReplayOfTheOrderDelistsIsStillRecoveredTests
{
    private const string OrderId = "O-1";


    [Fact]
    public async Task A_fulfilment_enlisted_while_a_replay_of_an_earlier_change_delists_the_order_is_still_finished_by_recovery()
    {
        var memory = new InMemoryDocumentStore();
        var store = new AtTheIntentStore(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]));
        var first = new ReservationChangeCommand(OrderId, [new ReservationLineChange("A", 1)], Reference: "ship-1");
        await s.App.Fulfill.ExecuteAsync(first);

        // The rest of the order is shipped; as its intent goes to the store, the first shipment's retry replays and ends.
        store.AtIntent = async () => await new InventoryApplication(memory).Fulfill.ExecuteAsync(first);
        store.DieAtB = true;
        await Assert.ThrowsAsync<StoreFaultException>(() =>
            new InventoryApplication(store).Fulfill.ExecuteAsync(new ReservationChangeCommand(OrderId, Reference: "ship-2")));
        store.DieAtB = false;

        // The caller gives up; the sweep runs, later, on a fresh instance.
        var later = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await later.RecoverOrders.ExecuteAsync();

        var view = await later.Orders.ViewAsync(OrderId, default);
        Assert.True(view.Lines.All(l => l.Shipped == l.Requested),
            "the second fulfilment's intent stays pending, applied on part of the order: " +
            string.Join(", ", view.Lines.Select(l => $"{l.ProductId} shipped {l.Shipped} of {l.Requested}, {l.Remaining} still reserved")));
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
