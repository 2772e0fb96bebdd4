using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>A warehouse with a pick face, bulk and overflow, two products, and a confirmed purchase order for them.</summary>
internal static class ReceivingScenario
{
    public static async Task<(StockScenario S, InMemoryDocumentStore Store)> CreateAsync()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.App.SaveLocation.ExecuteAsync(new Location { LocationId = "PICK", WarehouseId = "W1", Type = LocationType.PickFace, MaxWeightKg = 20, MaxVolumeCubicCm = 100_000 });
        await s.App.SaveLocation.ExecuteAsync(new Location { LocationId = "BULK", WarehouseId = "W1", Type = LocationType.Bulk, MaxWeightKg = 1000, MaxVolumeCubicCm = 10_000_000 });
        await s.App.SaveLocation.ExecuteAsync(new Location { LocationId = "OVF", WarehouseId = "W1", Type = LocationType.Overflow });
        await s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "A", Name = "a", UnitWeightGrams = 1000, Dimensions = new(100, 100, 100) });
        await s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "B", Sku = "B", Name = "b", UnitWeightGrams = 100, Dimensions = new(10, 10, 10) });
        await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO1", "S1", "W1", new DateOnly(2026, 12, 1), [new OrderLine("A", 30), new OrderLine("B", 10)]));
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Send);
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Confirm);
        return (s, store);
    }

    public static ReceiptMessage FullReceipt(string receiptId = "R1") =>
        new("PO1", receiptId, "W1", "dock-7", [new("A", 30), new("B", 10, "BULK")]);
}

/// <summary>
/// Put-away into a location with room for two units: warehouse W1 with BULK (2,000 cm3) and OVF (anything), product A
/// of 1,000 cm3 a unit, and confirmed purchase orders of A.
/// </summary>
internal static class TwoUnitBulk
{
    public static async Task ArrangeAsync(InventoryApplication app, params (string PoId, long Quantity)[] orders)
    {
        await new StockScenario(app).WarehouseAsync("W1");
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "BULK", WarehouseId = "W1", Type = LocationType.Bulk, MaxVolumeCubicCm = 2_000 });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "OVF", WarehouseId = "W1", Type = LocationType.Overflow });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "A", Name = "a", UnitWeightGrams = 100, Dimensions = new(100, 100, 100) });
        foreach (var (po, quantity) in orders)
        {
            await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand(po, "S1", "W1", new DateOnly(2026, 12, 9), [new OrderLine("A", quantity)]));
            await app.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Send);
            await app.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Confirm);
        }
    }

    /// <summary>A receipt of one unit of A, put away by the planner.</summary>
    public static ReceiptMessage OneUnit(string poId, string receiptId) => new(poId, receiptId, "W1", "dock", [new("A", 1)]);

    /// <summary>A's units on hand by location.</summary>
    public static async Task<Dictionary<string, long>> OnHandAsync(InventoryApplication app) =>
        (await app.Stock.GetStockAsync("A")).Locations.ToDictionary(l => l.LocationId, l => l.QuantityOnHand);
}
