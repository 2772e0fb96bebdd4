using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review. A receipt whose line without a location cannot be placed (nothing has room and the warehouse has no
/// OVERFLOW location) is refused by the put-away planner with <c>invalid-state</c>, a poison message. The refusal comes
/// only after the order accepted the receipt and earlier lines moved stock: the receipt stays pending on the order for
/// ever (the order can no longer be cancelled, RecoverOrders fails on it every run), and the stock of the earlier line
/// is on hand while the order records none of it. A refusal must write nothing: the receipt is checked whole (its
/// put-away included) before the order accepts it.
/// </summary>
public class AReceiptThePlannerCannotPlaceIsRefusedBeforeItIsAcceptedTests
{
    [Fact]
    public async Task A_receipt_with_a_line_nothing_has_room_for_changes_nothing_and_leaves_the_order_cancellable()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W2");
        // One small pick face and one bulk, no overflow location.
        await s.App.SaveLocation.ExecuteAsync(new Location { LocationId = "W2-PICK", WarehouseId = "W2", Type = LocationType.PickFace, MaxWeightKg = 5, MaxVolumeCubicCm = 100_000 });
        await s.App.SaveLocation.ExecuteAsync(new Location { LocationId = "W2-BULK", WarehouseId = "W2", Type = LocationType.Bulk, MaxWeightKg = 10, MaxVolumeCubicCm = 10_000_000 });
        await s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "HEAVY", Sku = "HEAVY", Name = "heavy", UnitWeightGrams = 1000, Dimensions = new(100, 100, 100) });
        await s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "LIGHT", Sku = "LIGHT", Name = "light", UnitWeightGrams = 10, Dimensions = new(10, 10, 10) });
        await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO-W2", "S1", "W2", new DateOnly(2026, 12, 1),
            [new OrderLine("LIGHT", 10), new OrderLine("HEAVY", 30)]));
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO-W2", PurchaseOrderAction.Send);
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO-W2", PurchaseOrderAction.Confirm);

        // Line 0 names its location; line 1 (30 kg) fits neither the 5 kg pick face nor the 10 kg bulk, and there is no overflow.
        var receipt = new ReceiptMessage("PO-W2", "R-NOROOM", "W2", "dock-1", [new("LIGHT", 10, "W2-BULK"), new("HEAVY", 30)]);
        var refused = await Assert.ThrowsAnyAsync<DomainException>(() => s.App.ReceivePurchaseOrder.ExecuteAsync(receipt));
        Assert.NotNull(refused.Code); // poison: the queue function quarantines it with this reason

        // Nothing of a refused receipt is applied or left in flight.
        var po = await s.App.PurchaseOrders.GetAsync("PO-W2");
        Assert.Empty(po.PendingReceipts);
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("LIGHT")).QuantityOnHand);
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("HEAVY")).QuantityOnHand);
        var open = new List<OpenSaga>();
        await foreach (var saga in s.App.Orders.OpenSagasAsync(default)) open.Add(saga);
        Assert.Empty(open);

        // The order is still the operator's to cancel.
        var cancelled = await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO-W2", PurchaseOrderAction.Cancel);
        Assert.Equal(PurchaseOrderStatus.Cancelled, cancelled.Status);
    }
}
