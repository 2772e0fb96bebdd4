using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Replenishment;
using Inventory.Core.Tests.Replenishment;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review: a cancel whose order update landed but whose answer was lost (a 503 to the caller, or the process
/// dying before the supply update) is never followed by the products' supply. The caller's retry is refused with 409
/// invalid-transition before <see cref="AfterPurchaseOrderChange"/> runs, and nothing else (no saga entry, no scan) brings
/// the supply in step: the cancelled order stays incoming and the nightly scan skips the product for an "open order".
/// </summary>
public class ACancelRetriedAfterALostAnswerFreesTheProductTests
{
    [Fact]
    public async Task A_cancel_retried_after_a_lost_answer_leaves_nothing_incoming_and_the_scan_reorders()
    {
        var faulty = new FaultyStore(new InMemoryDocumentStore());
        var r = await ReplenishmentScenario.CreateAsync(faulty);
        await r.ProductAsync("A", stock: 5, reorderPoint: 10); // low, but a receipt does not trigger a reorder
        await r.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO-M", "SUP-M", "W1", new DateOnly(2026, 12, 10), [new OrderLine("A", 10)]));
        await r.App.ChangePurchaseOrderStatus.ExecuteAsync("PO-M", PurchaseOrderAction.Send);

        faulty.Arm(1, FaultSide.LostAcknowledgement); // the order is CANCELLED in the store; the caller sees a failure
        await Assert.ThrowsAsync<StoreFaultException>(() => r.App.ChangePurchaseOrderStatus.ExecuteAsync("PO-M", PurchaseOrderAction.Cancel));
        faulty.Arm();

        // The caller retries on another instance (200 or 409, either is fine: the order is cancelled).
        var app = new InventoryApplication(faulty, r.Clock) { ReplenishmentOptions = new ReplenishmentOptions { DefaultWarehouseId = "W1" } };
        try { await app.ChangePurchaseOrderStatus.ExecuteAsync("PO-M", PurchaseOrderAction.Cancel); }
        catch (InvalidTransitionException) { }
        await app.RecoverOrders.ExecuteAsync();

        Assert.Equal(PurchaseOrderStatus.Cancelled, (await app.PurchaseOrders.GetAsync("PO-M")).Status);
        Assert.Equal(0, (await app.Stock.GetStockAsync("A")).QuantityIncoming); // 10: the cancelled order is still incoming
        var run = await app.ReplenishmentScan.ExecuteAsync();
        Assert.Equal((1L, 0L), (run.OrdersCreated, run.SkippedOpenOrder));
    }
}
