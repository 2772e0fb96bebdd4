using System.Text;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Functions.Shopify;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Review of the cancel's close (2026-12-03): orders/create's request claims a one-product order and stalls before its
/// reservation lands, past its exclusive time; orders/cancelled then closes the order (200 nothing-held), the stalled
/// create finds it closed and releases nothing more, a redelivery of either changes nothing, and nothing is held. Passed
/// on arrival: kept as a guard.
/// </summary>
public sealed class AShopifyCancelOfAnOrderWhoseCreateStalledIsAcknowledgedAndHoldsNothingTests
{
    private const string Order = """{"id":5820637577399,"line_items":[{"id":1,"sku":"SKU-SC1","quantity":3}]}""";

    [Fact]
    public async Task A_cancel_after_the_creates_exclusive_time_closes_the_order_and_its_late_create_holds_nothing()
    {
        var memory = new InMemoryDocumentStore();
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        var seed = new InventoryApplication(memory, clock);
        await seed.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "W-SHP", Name = "Shopify" });
        await seed.SaveLocation.ExecuteAsync(new Location { LocationId = "L-SHP", WarehouseId = "W-SHP", Type = LocationType.Bulk });
        await seed.SaveProduct.ExecuteAsync(new Product { ProductId = "SC1", Sku = "SKU-SC1", Name = "SC1" });
        await seed.Receive.ExecuteAsync(new ReceiveCommand("SC1", "L-SHP", 10, "seed-SC1"));

        var gate = new GateFirstCommit(memory, Collection.Products, "SC1");
        var claimantApp = new InventoryApplication(gate, clock);
        var claimant = Task.Run(() => claimantApp.Create<ShopifyOrders>().HandleAsync("orders/create", "d-create", Encoding.UTF8.GetBytes(Order), default));
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(10));

        var later = new InventoryApplication(memory, clock);
        var cancelled = await later.Create<ShopifyOrders>().HandleAsync("orders/cancelled", "d-cancel", Encoding.UTF8.GetBytes(Order), default);
        gate.Release.SetResult();
        var created = await claimant;
        var again = await later.Create<ShopifyOrders>().HandleAsync("orders/cancelled", "d-cancel-2", Encoding.UTF8.GetBytes(Order), default);
        var createdAgain = await later.Create<ShopifyOrders>().HandleAsync("orders/create", "d-create-2", Encoding.UTF8.GetBytes(Order), default);

        Assert.Equal("nothing-held", cancelled.Outcome);
        Assert.Equal("nothing-held", again.Outcome);
        Assert.Equal(0, (await later.Stock.GetStockAsync("SC1")).QuantityReserved);
        Assert.Equal(OrderReservationStatus.Released, (await later.Orders.ViewAsync(cancelled.OrderId, default)).Status);
        Assert.Equal(("nothing-held", "cancelled-before-create"), (created.Outcome, createdAgain.Outcome));
    }
}
