using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// The one post-commit step (issue 11): its handlers run in order after a committed stock change and on every replay of
/// it; a failing handler reaches the caller but never undoes the commit; purchase-order changes have their own step.
/// </summary>
public class AfterCommitTests
{
    private sealed class Recorder(List<string> log, string name, bool fails = false) : IStockChangeHandler, IPurchaseOrderChangeHandler
    {
        public List<StockChanged> Changes { get; } = [];

        public Task HandleAsync(StockChanged change, CancellationToken ct)
        {
            log.Add(name);
            Changes.Add(change);
            return fails ? throw new InvalidOperationException("handler down") : Task.CompletedTask;
        }

        public List<PurchaseOrderChanged> Orders { get; } = [];

        public Task HandleAsync(PurchaseOrderChanged change, CancellationToken ct)
        {
            Orders.Add(change);
            return Task.CompletedTask;
        }
    }

    private static async Task<StockScenario> ScenarioAsync()
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        return s;
    }

    [Fact]
    public async Task Handlers_run_in_order_after_a_committed_move_and_again_on_its_replay()
    {
        var s = await ScenarioAsync();
        var log = new List<string>();
        var (first, second) = (new Recorder(log, "first"), new Recorder(log, "second"));
        var adjust = new AdjustStock(s.App.Committer, s.App.Catalog, TimeProvider.System, new AfterStockCommit([first, second]));

        var applied = await adjust.ExecuteAsync(new AdjustCommand("A", "L1", -3, null, "damaged", "adj-1"));
        var replayed = await adjust.ExecuteAsync(new AdjustCommand("A", "L1", -3, null, "damaged", "adj-1"));

        Assert.Equal(["first", "second", "first", "second"], log);
        Assert.False(applied.Replayed);
        Assert.True(replayed.Replayed);
        var (commit, replay) = (first.Changes[0], first.Changes[1]);
        var moved = Assert.Single(commit.Moves);
        Assert.Equal(-3, Assert.Single(moved.Entries).Entry.OnHandDelta);
        Assert.Equal(("W1", 7L), (moved.Entries[0].WarehouseId, moved.Balances.Single(b => b.LocationId == "L1").QuantityOnHand));
        // The replay wrote nothing but carries the balances, so a step missed by a crash catches up.
        var again = Assert.Single(replay.Moves);
        Assert.Empty(again.Entries);
        Assert.Equal(moved.Sequence, again.Sequence);
        Assert.Equal(7L, again.Balances.Single(b => b.LocationId == "L1").QuantityOnHand);
        // A downward adjustment is a drop, with the availability it left; so is its replay.
        Assert.Equal(7L, Assert.Single(commit.Drops).Available);
        Assert.Equal(7L, Assert.Single(replay.Drops).Available);
    }

    [Fact]
    public async Task Rises_and_transfers_move_without_a_drop_and_a_release_hands_nothing()
    {
        var s = await ScenarioAsync();
        var recorder = new Recorder([], "r");
        var after = new AfterStockCommit([recorder]);
        await new AdjustStock(s.App.Committer, s.App.Catalog, TimeProvider.System, after).ExecuteAsync(new AdjustCommand("A", "L1", 2, null, "found", "adj-up"));
        await new TransferStock(s.App.Committer, s.App.Catalog, TimeProvider.System, after).ExecuteAsync(new TransferCommand("A", "L1", "L2", 4, "t-1"));
        await new ReceiveStock(s.App.Committer, s.App.Catalog, TimeProvider.System, after).ExecuteAsync(new ReceiveCommand("A", "L2", 1, "r-1"));
        Assert.Equal([1, 2, 1], recorder.Changes.Select(c => Assert.Single(c.Moves).Entries.Count));
        Assert.All(recorder.Changes, c => Assert.Empty(c.Drops));

        await s.App.Reserve.ExecuteAsync(new ReserveCommand("o-1", [new("A", 2)]));
        await new ReleaseReservation(s.App.Committer, s.App.Orders, TimeProvider.System).ExecuteAsync(new ReservationChangeCommand("o-1"));
        Assert.Equal(3, recorder.Changes.Count);
    }

    [Fact]
    public async Task A_fulfilment_step_hands_its_shipment_as_a_drop_and_its_replay_again()
    {
        var s = await ScenarioAsync();
        var recorder = new Recorder([], "r");
        var fulfil = new FulfillReservation(s.App.Committer, s.App.Orders, TimeProvider.System, new AfterStockCommit([recorder]));
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("o-1", [new("A", 4)]));

        await fulfil.ExecuteAsync(new ReservationChangeCommand("o-1", Reference: "ship-1"));
        var shipped = Assert.Single(recorder.Changes);
        Assert.Equal(-4, Assert.Single(Assert.Single(shipped.Moves).Entries).Entry.OnHandDelta);
        Assert.Equal(6L, Assert.Single(shipped.Drops).Available);

        await fulfil.ExecuteAsync(new ReservationChangeCommand("o-1", Reference: "ship-1")); // a replay: the intent is done, nothing runs again
        Assert.Single(recorder.Changes);
    }

    [Fact]
    public async Task A_failing_handler_reaches_the_caller_and_never_undoes_the_commit()
    {
        var s = await ScenarioAsync();
        var log = new List<string>();
        var after = new AfterStockCommit([new Recorder(log, "fails", fails: true), new Recorder(log, "next")]);
        var adjust = new AdjustStock(s.App.Committer, s.App.Catalog, TimeProvider.System, after);

        await Assert.ThrowsAsync<InvalidOperationException>(() => adjust.ExecuteAsync(new AdjustCommand("A", "L1", -2, null, "damaged", "adj-f")));

        Assert.Equal(["fails"], log); // the handlers after it did not run
        Assert.Equal(8, (await s.App.Stock.GetStockAsync("A")).Locations.Single(l => l.LocationId == "L1").QuantityOnHand);
        Assert.Equal(-2, (await s.LedgerAsync("A"))[0].OnHandDelta);
        // The retry is a replay (nothing applied twice) and runs the step again.
        var retried = await new AdjustStock(s.App.Committer, s.App.Catalog, TimeProvider.System, new AfterStockCommit([new Recorder(log, "retry")]))
            .ExecuteAsync(new AdjustCommand("A", "L1", -2, null, "damaged", "adj-f"));
        Assert.True(retried.Replayed);
        Assert.Equal(["fails", "retry"], log);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task The_service_wiring_keeps_location_loads_and_the_reorder_trigger_behind_the_step()
    {
        var s = await ScenarioAsync();
        await s.App.SaveProduct.ExecuteAsync(new Product
        {
            ProductId = "B", Sku = "SKU-B", Name = "B", UnitWeightGrams = 100, AutoReplenish = true, ReorderPoint = 5, ReorderQuantity = 20, LeadTimeDays = 3, PreferredSupplierId = "sup-1",
        });
        await s.StockAsync("B", "L1", 6);
        await s.App.Adjust.ExecuteAsync(new AdjustCommand("B", "L1", -2, null, "damaged", "adj-b"));

        Assert.Equal(400, Assert.Single(await s.App.LocationLoads.ReadAsync("W1")).WeightGrams); // loads followed the move
        var raised = Assert.Single(await s.App.Outbox.ListAsync()); // the drop below 5 raised one order
        Assert.Equal("B", Assert.Single(raised.Lines).ProductId);
    }

    [Fact]
    public async Task Purchase_order_changes_are_handed_to_their_step()
    {
        var s = await ScenarioAsync();
        var recorder = new Recorder([], "r");
        var (po, _) = await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO-1", "sup-1", "W1",
            new DateOnly(2026, 12, 1), [new OrderLine("A", 5)]));
        var send = new ChangePurchaseOrderStatus(s.App.PurchaseOrders, TimeProvider.System, new AfterPurchaseOrderChange([recorder]));

        await send.ExecuteAsync(po.PoId, PurchaseOrderAction.Send);

        var change = Assert.Single(recorder.Orders);
        Assert.Equal((PurchaseOrderStatus.Sent, false), (change.Order.Status, change.CreationRecovered));
    }
}
