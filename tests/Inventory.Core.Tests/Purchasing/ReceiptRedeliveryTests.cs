using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

public class ReceiptRedeliveryTests
{
    [Fact]
    public async Task A_receipt_puts_lines_away_by_room_and_receives_the_order()
    {
        var (s, _) = await ReceivingScenario.CreateAsync();
        var outcome = await s.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt());
        Assert.Equal(PurchaseOrderStatus.Received, outcome.Order.Status);
        // 30 kg of A does not fit the 20 kg pick face: bulk has room.
        Assert.Equal(("BULK", true), (outcome.Lines[0].LocationId, outcome.Lines[0].Suggested));
        Assert.Equal(("BULK", false), (outcome.Lines[1].LocationId, outcome.Lines[1].Suggested));
        Assert.Equal(30, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand);
        var loads = await s.App.LocationLoads.ReadAsync("W1");
        Assert.Equal(30 * 1000 + 10 * 100, loads.Single(l => l.LocationId == "BULK").WeightGrams);
    }

    [Fact]
    public async Task The_same_receipt_delivered_three_times_is_applied_once()
    {
        var (s, _) = await ReceivingScenario.CreateAsync();
        var first = await s.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt());
        var second = await s.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt());
        var third = await s.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt());
        Assert.False(first.AlreadyApplied);
        Assert.True(second.AlreadyApplied && third.AlreadyApplied);
        Assert.Equal(30, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand);
        Assert.Equal(10, (await s.App.Stock.GetStockAsync("B")).QuantityOnHand);
        Assert.Equal([30L, 10L], (await s.App.PurchaseOrders.GetAsync("PO1")).Lines.Select(l => l.QuantityReceived));
        await s.AssertBooksBalanceAsync("A");
    }

    private sealed class Crash : Exception;

    private static async Task<List<Inventory.Application.Orders.OpenSaga>> OpenSagasAsync(StockScenario s)
    {
        var open = new List<Inventory.Application.Orders.OpenSaga>();
        await foreach (var saga in s.App.Orders.OpenSagasAsync(default)) open.Add(saga);
        return open;
    }

    [Theory]
    [InlineData(0, false)] // before the receipt is enlisted in the open-saga index
    [InlineData(1, false)] // enlisted, before the order accepts the receipt
    [InlineData(2, false)] // after the order accepted it (pending)
    [InlineData(3, false)] // after line 0's stock
    [InlineData(4, false)] // after line 0's location load
    [InlineData(5, false)] // after line 1's stock
    [InlineData(6, false)] // after line 1's location load, before the order marks it applied
    [InlineData(9, false)] // applied and tracked by the products' supply, before the delisting
    [InlineData(1, true)]  // never accepted: recovery removes the entry, changes nothing, and the redelivery applies it
    [InlineData(2, true)]  // accepted, then no redelivery: RecoverOrders finishes it
    [InlineData(4, true)]
    [InlineData(6, true)]
    [InlineData(9, true)]
    public async Task A_crash_between_steps_then_redelivery_ends_in_the_state_of_one_clean_run(int writesBeforeCrash, bool byRecovery)
    {
        var (clean, _) = await ReceivingScenario.CreateAsync();
        await clean.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt());

        var (s, store) = await ReceivingScenario.CreateAsync();
        var writes = 0;
        store.BeforeCommit = (c, _, _) => { if (c != Collection.Holds && ++writes > writesBeforeCrash) throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => s.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt()));
        store.BeforeCommit = null;
        // Redelivered to (or recovered by) another instance: nothing cached survives the crash.
        var scans = new Replenishment.HookedStore(store);
        s = new StockScenario(new Inventory.Testing.InventoryApplication(scans) { OrderOptions = new() { RecoverAfterSeconds = 0 } });
        if (byRecovery)
        {
            Assert.Equal(["receipt|PO1|R1"], (await OpenSagasAsync(s)).Select(o => $"{o.Kind}|{o.OrderId}"));
            var result = await s.App.RecoverOrders.ExecuteAsync();
            Assert.Equal((1, 0), (result.Finished, result.Failed));
            Assert.Empty(await OpenSagasAsync(s));
            Assert.Equal(0, scans.Scans); // the index holds what is in flight: no listing of purchase-order partitions
            if (writesBeforeCrash < 2)
            {
                Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand);
                await s.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt()); // Service Bus redelivers the message
            }
        }
        else await s.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt());
        Assert.Empty(await OpenSagasAsync(s));

        foreach (var product in new[] { "A", "B" })
        {
            var expected = await clean.App.Stock.GetStockAsync(product);
            var actual = await s.App.Stock.GetStockAsync(product);
            Assert.Equal(expected.Locations.Select(l => (l.LocationId, l.QuantityOnHand)), actual.Locations.Select(l => (l.LocationId, l.QuantityOnHand)));
            Assert.Equal((await clean.LedgerAsync(product)).Count, (await s.LedgerAsync(product)).Count);
            await s.AssertBooksBalanceAsync(product);
        }
        var po = await s.App.PurchaseOrders.GetAsync("PO1");
        Assert.Equal((PurchaseOrderStatus.Received, 1), (po.Status, po.AppliedReceipts.Count));
        Assert.Empty(po.PendingReceipts);
    }

    [Fact]
    public async Task A_cancel_waits_for_a_pending_receipt_and_a_second_receipt_counts_it()
    {
        var (s, store) = await ReceivingScenario.CreateAsync();
        var writes = 0;
        store.BeforeCommit = (c, _, _) => { if (c != Collection.Holds && ++writes > 2) throw new Crash(); }; // enlisted and accepted
        await Assert.ThrowsAsync<Crash>(() => s.App.ReceivePurchaseOrder.ExecuteAsync(ReceivingScenario.FullReceipt()));
        store.BeforeCommit = null;

        var commits = store.Commits;
        await Assert.ThrowsAsync<ReceiptInProgressException>(() => s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Cancel));
        await Assert.ThrowsAsync<OverReceiptException>(() => s.App.ReceivePurchaseOrder.ExecuteAsync(
            new ReceiptMessage("PO1", "R-other", "W1", "dock", [new("B", 1)])));
        Assert.Equal(commits, store.Commits);
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("B")).QuantityOnHand);
    }

    [Fact]
    public async Task A_bad_receipt_is_refused_whole_before_any_stock_moves()
    {
        var (s, store) = await ReceivingScenario.CreateAsync();
        var commits = store.Commits;
        await Assert.ThrowsAsync<OverReceiptException>(() => s.App.ReceivePurchaseOrder.ExecuteAsync(
            new ReceiptMessage("PO1", "R9", "W1", "dock", [new("A", 1), new("B", 11)])));
        await Assert.ThrowsAsync<LocationNotFoundException>(() => s.App.ReceivePurchaseOrder.ExecuteAsync(
            new ReceiptMessage("PO1", "R9", "W1", "dock", [new("A", 1), new("B", 1, "NOWHERE")])));
        await Assert.ThrowsAsync<PurchaseOrderNotFoundException>(() => s.App.ReceivePurchaseOrder.ExecuteAsync(
            new ReceiptMessage("PO404", "R9", "W1", "dock", [new("A", 1)])));
        await Assert.ThrowsAsync<ValidationException>(() => s.App.ReceivePurchaseOrder.ExecuteAsync(
            new ReceiptMessage("PO1", "R9", "W2", "dock", [new("A", 1)])));
        Assert.Equal(commits, store.Commits);
    }
}

public class PurchaseOrderEventTests
{
    [Fact]
    public async Task Events_move_the_order_once_and_late_or_repeated_ones_change_nothing()
    {
        var (s, _) = await ReceivingScenario.CreateAsync(); // PO1 is CONFIRMED
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var late = await s.App.HandlePurchaseOrderEvent.ExecuteAsync(new("E1", "PO1", PurchaseOrderEventType.Sent, at));
        Assert.Equal(PurchaseOrderStatus.Confirmed, late.Status);
        var cancelled = await s.App.HandlePurchaseOrderEvent.ExecuteAsync(new("E2", "PO1", PurchaseOrderEventType.Cancelled, at));
        var again = await s.App.HandlePurchaseOrderEvent.ExecuteAsync(new("E2", "PO1", PurchaseOrderEventType.Cancelled, at));
        Assert.Equal((PurchaseOrderStatus.Cancelled, PurchaseOrderStatus.Cancelled), (cancelled.Status, again.Status));
        await Assert.ThrowsAsync<InvalidTransitionException>(() => s.App.HandlePurchaseOrderEvent.ExecuteAsync(new("E3", "PO1", PurchaseOrderEventType.Confirmed, at)));
        await Assert.ThrowsAsync<PurchaseOrderNotFoundException>(() => s.App.HandlePurchaseOrderEvent.ExecuteAsync(new("E4", "PO9", PurchaseOrderEventType.Sent, at)));
    }
}
