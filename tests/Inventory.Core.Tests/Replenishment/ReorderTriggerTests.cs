using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Replenishment;

public class ReorderTriggerTests
{
    [Fact]
    public async Task Thirty_two_concurrent_shipments_crossing_the_reorder_point_raise_exactly_one_order()
    {
        var r = await ReplenishmentScenario.CreateAsync();
        await r.ProductAsync("A", stock: 40, reorderPoint: 20, reorderQuantity: 60);
        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => r.ShipAsync("A", 1, $"o-{i}"))));

        var raised = Assert.Single(await r.RaisedOrdersAsync());
        Assert.Equal((PurchaseOrderOrigin.Replenishment, "SUP-1", "W1", 60L), (raised.Origin, raised.SupplierId, raised.WarehouseId, raised.Lines.Single().QuantityOrdered));
        var po = await r.App.PurchaseOrders.GetAsync(raised.PoId);
        Assert.Equal(PurchaseOrderStatus.Sent, po.Status);
        Assert.Equal(60, (await r.App.Stock.GetStockAsync("A")).QuantityIncoming);
    }

    [Fact]
    public async Task Nothing_is_ordered_when_auto_replenish_is_off()
    {
        var r = await ReplenishmentScenario.CreateAsync();
        await r.ProductAsync("A", stock: 12, reorderPoint: 10, auto: false);
        await r.ShipAsync("A", 5, "o-1");
        Assert.Empty(await r.RaisedOrdersAsync());
    }

    [Fact]
    public async Task A_downward_adjustment_triggers_and_a_transfer_does_not()
    {
        var r = await ReplenishmentScenario.CreateAsync();
        await new Testing.StockScenario(r.App).LocationAsync("W1", "L2");
        await r.ProductAsync("A", stock: 12, reorderPoint: 10);
        await r.App.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L2", 12, "t-1"));
        Assert.Empty(await r.RaisedOrdersAsync());
        await r.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L2", -3, null, "damaged", "adj-1"));
        Assert.Single(await r.RaisedOrdersAsync());
    }

    [Fact]
    public async Task The_guard_frees_when_the_order_is_received_and_a_new_drop_reorders()
    {
        var r = await ReplenishmentScenario.CreateAsync();
        await r.ProductAsync("A", stock: 12, reorderPoint: 10, reorderQuantity: 20);
        await r.ShipAsync("A", 5, "o-1");
        var first = Assert.Single(await r.RaisedOrdersAsync());
        await r.ShipAsync("A", 1, "o-2");
        Assert.Single(await r.RaisedOrdersAsync()); // still open: no second order

        await r.App.ChangePurchaseOrderStatus.ExecuteAsync(first.PoId, Inventory.Application.Purchasing.PurchaseOrderAction.Confirm);
        r.Clock.Advance(TimeSpan.FromDays(7));
        await r.App.ReceivePurchaseOrder.ExecuteAsync(new(first.PoId, "RC-1", "W1", "dock", [new("A", 20, "L1")]));
        Assert.Equal(0, (await r.App.Stock.GetStockAsync("A")).QuantityIncoming);
        var view = await r.App.ReplenishmentQueries.GetAsync("A");
        Assert.Equal(7, view.MeasuredLeadTimeDays!.Value, 3);
        Assert.True(view.LeadTimeDrift); // configured 5 days, measured 7

        await r.ShipAsync("A", 20, "o-3"); // 26 - 20 = 6 available < 10
        Assert.Equal(2, (await r.RaisedOrdersAsync()).Count);
    }

    [Fact]
    public async Task The_expected_date_is_today_in_the_warehouse_time_zone_plus_the_lead_time()
    {
        // 2026-11-27 23:30 UTC is already the 28th in Tokyo.
        var r = await ReplenishmentScenario.CreateAsync(timezone: "Asia/Tokyo", now: new DateTimeOffset(2026, 11, 27, 23, 30, 0, TimeSpan.Zero));
        await r.ProductAsync("A", stock: 11, reorderPoint: 10, leadTimeDays: 3);
        await r.ShipAsync("A", 2, "o-1");
        Assert.Equal(new DateOnly(2026, 12, 1), Assert.Single(await r.RaisedOrdersAsync()).ExpectedDate);
    }
}
