using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// The purchase-order receipt's case of <c>AMovementRacingARetypeLeavesTheLocationsFinalTypeTests</c>: a receipt line
/// put away at a location the product holds nothing in, whose stock commit lands after a retype of that location ended
/// (the pass found no balance of the product there), takes the location's new type, not the one it read.
/// </summary>
public class AReceiptRacingARetypeLeavesTheLocationsFinalTypeTests
{
    [Fact]
    public async Task A_line_put_away_at_a_location_retyped_meanwhile_takes_its_new_type()
    {
        var gate = new GateFirstCommit(new InMemoryDocumentStore(), Collection.Products, "A");
        var receiving = new InventoryApplication(gate);
        var other = new InventoryApplication(gate.Inner); // another instance: the set-up and the retype
        var s = new StockScenario(other);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "BIN", LocationType.Bulk);
        await s.ProductAsync("A");
        await other.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO1", "S1", "W1", new DateOnly(2026, 12, 1), [new OrderLine("A", 2)]));
        await other.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Send);
        await other.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Confirm);

        var receipt = receiving.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock", [new("A", 2, "BIN")]));
        await gate.Reached.Task; // the receipt read BIN as bulk and is committing to A, which holds nothing there yet
        await s.LocationAsync("W1", "BIN", LocationType.PickFace);
        gate.Release.SetResult();
        await receipt;

        var bin = (await other.Stock.GetStockAsync("A")).Locations.Single(l => l.LocationId == "BIN");
        Assert.Equal((2L, "PickFace"), (bin.QuantityOnHand, bin.LocationType));
    }
}
