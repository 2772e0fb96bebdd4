using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review: the put-away check before a receipt is accepted (<c>ReceivePurchaseOrder.CheckPutAwayAsync</c>) is
/// tried on a throw-away copy of the planner and reserves nothing. Two receipts of the same warehouse (two purchase
/// orders) can both pass it for the last room; the one planned second then meets <c>invalid-state</c> in
/// <c>ReceiveLineAsync</c> after its order accepted it: the defect docs/receiving.md says is closed ("refused after the
/// PO had accepted it, the receipt stayed pending for good") comes back. The receipt stays pending on its order for good
/// (every redelivery and every RecoverOrders run fails the same way), and the order can no longer be cancelled
/// (<c>receipt-in-progress</c>). The interleaving is deterministic: the second receipt runs whole right after the first
/// one's acceptance is committed.
/// </summary>
public class TwoReceiptsRacingForTheLastRoomLeaveNothingPendingTests
{
    [Fact]
    public async Task A_receipt_that_lost_the_last_room_to_another_is_not_left_pending_on_its_order()
    {
        var store = new RunAfterCommit(new InMemoryDocumentStore());
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(store, clock);
        await new StockScenario(app).WarehouseAsync("W1");
        // One pick face with room for one unit, no overflow location.
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "PICK", WarehouseId = "W1", Type = LocationType.PickFace, MaxVolumeCubicCm = 1_000 });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "A", Name = "a", UnitWeightGrams = 100, Dimensions = new(100, 100, 100) });
        foreach (var po in new[] { "PO1", "PO2" })
        {
            await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand(po, "S1", "W1", new DateOnly(2026, 12, 1), [new OrderLine("A", 1)]));
            await app.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Send);
            await app.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Confirm);
        }

        Exception? second = null;
        store.Hook = (collection, partition, writes) => collection == Collection.PurchaseOrders && partition == "PO1"
            ? async () => second = await Record.ExceptionAsync(() => app.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO2", "R2", "W1", "dock", [new("A", 1)])))
            : null;
        var first = await Record.ExceptionAsync(() => app.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock", [new("A", 1)])));
        store.Hook = null;

        // One of them takes the pick face; the other may be refused (nothing has room and there is no overflow), but then
        // as a refusal that wrote nothing: its order holds no receipt that nothing can finish, and can be cancelled.
        Assert.True(first is null || second is null, $"both refused: {first?.Message} / {second?.Message}");
        foreach (var (po, refused) in new[] { ("PO1", first), ("PO2", second) })
        {
            var order = await app.PurchaseOrders.GetAsync(po);
            Assert.True(refused is null || order.PendingReceipts.Count == 0,
                $"{po}'s receipt failed with {refused?.GetType().Name} ({refused?.Message}) after {po} accepted it: it holds pending receipt(s) "
                + string.Join(",", order.PendingReceipts.Select(p => p.ReceiptId)) + " that nothing can finish");
            if (refused is not null)
                Assert.Null(await Record.ExceptionAsync(() => app.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Cancel)));
        }
    }

    /// <summary>Runs the hook's action once, right after the first commit it names has landed.</summary>
    private sealed class RunAfterCommit(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Collection, string, IReadOnlyList<DocumentWrite>, Func<Task>?>? Hook { get; set; }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            if (Hook?.Invoke(collection, partition, writes) is { } action)
            {
                Hook = null;
                await action();
            }
        }
    }
}
