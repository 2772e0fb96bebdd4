using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Core.Tests.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review: a product's supply is set from the copy of the order each change holds, with no check that the copy
/// is still the newest. A receipt marks the order PARTIAL; before it updates the products' supply, a cancel moves the
/// order to CANCELLED and removes it from supply; then the receipt's stale PARTIAL copy puts the order back. The cancelled
/// order stays counted as incoming for good, and the open-order guard never lets the product be reordered.
/// </summary>
public class ACancelRacingAReceiptsSupplyUpdateLeavesNothingIncomingTests
{
    [Fact]
    public async Task A_cancel_landing_between_a_receipt_and_its_supply_update_leaves_nothing_incoming()
    {
        var hooked = new HookedStore(new InMemoryDocumentStore());
        var s = StockScenario.Over(hooked);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO1", "S1", "W1", new DateOnly(2026, 12, 1), [new OrderLine("A", 30)]));
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Send);
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Confirm);

        // The receipt writes the order twice: accepted (pending), then applied (PARTIAL). Right after the second write,
        // before the receipt updates the supply, an operator cancels the order (nothing pending any more: allowed).
        var orderWrites = 0;
        var cancelled = false;
        hooked.After = async (collection, partition, _) =>
        {
            if (cancelled || collection != Collection.PurchaseOrders || partition != "PO1" || ++orderWrites != 2) return;
            cancelled = true;
            await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Cancel);
        };

        await s.App.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock", [new("A", 10, "L1")]));

        Assert.True(cancelled);
        Assert.Equal(PurchaseOrderStatus.Cancelled, (await s.App.PurchaseOrders.GetAsync("PO1")).Status);
        Assert.Empty((await s.App.Supplies.ReadAsync("A")).Open); // holds PO1 as PARTIAL with 20 outstanding
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityIncoming);
    }
}
