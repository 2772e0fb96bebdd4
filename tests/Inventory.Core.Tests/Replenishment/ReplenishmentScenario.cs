using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>A warehouse and products that replenish themselves, over any store, with a clock tests move.</summary>
internal sealed class ReplenishmentScenario
{
    public required InventoryApplication App { get; init; }
    public required ManualClock Clock { get; init; }

    public static async Task<ReplenishmentScenario> CreateAsync(IDocumentStore? store = null, string timezone = "UTC", int pageSize = 100,
        DateTimeOffset? now = null)
    {
        var clock = new ManualClock(now ?? new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(store ?? new InMemoryDocumentStore(), clock)
        {
            ReplenishmentOptions = new ReplenishmentOptions { ScanPageSize = pageSize, ScanParallelism = 4, DefaultWarehouseId = "W1" },
        };
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1", timezone);
        await s.LocationAsync("W1", "L1");
        return new ReplenishmentScenario { App = app, Clock = clock };
    }

    public async Task ProductAsync(string id, long stock, long reorderPoint = 10, long reorderQuantity = 50, int leadTimeDays = 5, bool auto = true)
    {
        await App.SaveProduct.ExecuteAsync(new Product
        {
            ProductId = id, Sku = "SKU-" + id, Name = id, ReorderPoint = reorderPoint, ReorderQuantity = reorderQuantity,
            LeadTimeDays = leadTimeDays, AutoReplenish = auto, PreferredSupplierId = "SUP-1",
        });
        if (stock > 0) await App.Receive.ExecuteAsync(new Inventory.Application.Stock.ReceiveCommand(id, "L1", stock, "open-" + id));
    }

    /// <summary>Reserves and ships <paramref name="units"/> as one order.</summary>
    public async Task ShipAsync(string productId, long units, string orderId)
    {
        await App.Reserve.ExecuteAsync(new ReserveCommand(orderId, [new(productId, units)]));
        await App.Fulfill.ExecuteAsync(new ReservationChangeCommand(orderId));
    }

    public async Task<IReadOnlyList<PurchaseOrder>> RaisedOrdersAsync() => await App.Outbox.ListAsync();
}
