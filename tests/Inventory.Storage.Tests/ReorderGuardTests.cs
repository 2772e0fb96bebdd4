using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>On a real store, concurrent drops below the reorder point raise exactly one purchase order.</summary>
public class ReorderGuardTests : IAsyncLifetime
{
    private TableDocumentStore store = null!;

    public async Task InitializeAsync() => store = await AzuriteTables.CreateStoreAsync();
    public Task DisposeAsync() => AzuriteTables.DropAsync(store);

    [Fact]
    public async Task Thirty_two_concurrent_shipments_crossing_the_reorder_point_raise_one_order()
    {
        var app = new InventoryApplication(store);
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await app.SaveProduct.ExecuteAsync(new Product
        {
            ProductId = "A", Sku = "SKU-A", Name = "a", ReorderPoint = 20, ReorderQuantity = 60, LeadTimeDays = 3,
            AutoReplenish = true, PreferredSupplierId = "SUP-1",
        });
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 40, "opening"));

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            await app.Reserve.ExecuteAsync(new ReserveCommand($"o-{i}", [new("A", 1)]));
            await app.Fulfill.ExecuteAsync(new ReservationChangeCommand($"o-{i}"));
        })));

        var raised = Assert.Single(await app.Outbox.ListAsync());
        Assert.Equal(PurchaseOrderStatus.Sent, (await app.PurchaseOrders.GetAsync(raised.PoId)).Status);
        var stock = await app.Stock.GetStockAsync("A");
        Assert.Equal((8L, 60L), (stock.QuantityOnHand, stock.QuantityIncoming));
        await s.AssertBooksBalanceAsync("A");
    }
}
