using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Xunit;

namespace Inventory.Testing;

/// <summary>Builds a warehouse, locations, products and opening stock through the application, the way an operator would.</summary>
public sealed class StockScenario(InventoryApplication app)
{
    public InventoryApplication App { get; } = app;

    public static StockScenario Over(IDocumentStore store, TimeProvider? clock = null, ConcurrencyOptions? concurrency = null) =>
        new(new InventoryApplication(store, clock, concurrency));

    /// <summary>Warehouse W1 with one location L1 holding <paramref name="a"/> of product A and <paramref name="b"/> of product B.</summary>
    public static async Task<StockScenario> TwoProductsAsync(IDocumentStore store, long a = 10, long b = 10)
    {
        var s = Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await s.StockAsync("A", "L1", a);
        await s.StockAsync("B", "L1", b);
        return s;
    }

    public async Task<StockScenario> WarehouseAsync(string warehouseId, string timezone = "UTC")
    {
        await App.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = warehouseId, Name = $"Warehouse {warehouseId}", Timezone = timezone });
        return this;
    }

    public async Task<StockScenario> LocationAsync(string warehouseId, string locationId, LocationType type = LocationType.Bulk)
    {
        await App.SaveLocation.ExecuteAsync(new Location
        {
            LocationId = locationId, WarehouseId = warehouseId, Type = type, MaxWeightKg = 1000, MaxVolumeCubicCm = 1_000_000,
        });
        return this;
    }

    public async Task<StockScenario> ProductAsync(string productId, string? sku = null)
    {
        await App.SaveProduct.ExecuteAsync(new Product { ProductId = productId, Sku = sku ?? $"SKU-{productId}", Name = $"Product {productId}" });
        return this;
    }

    public async Task<StockScenario> StockAsync(string productId, string locationId, long quantity)
    {
        await App.Receive.ExecuteAsync(new ReceiveCommand(productId, locationId, quantity, $"opening-{productId}-{locationId}-{Guid.NewGuid():N}"));
        return this;
    }

    /// <summary>A unique id, so tests sharing a store never collide.</summary>
    public static string Id(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>The product's whole ledger, newest first, following every page (pages may be short).</summary>
    public async Task<IReadOnlyList<LedgerEntry>> LedgerAsync(string productId)
    {
        var entries = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var page = await App.Stock.GetLedgerAsync(productId, 100, token);
            entries.AddRange(page.Entries);
            token = page.ContinuationToken;
        } while (token is not null);
        return entries;
    }

    /// <summary>Asserts the product's books balance and nothing is oversold.</summary>
    public async Task<InvariantReport> AssertBooksBalanceAsync(string productId)
    {
        var report = await App.Invariants.CheckAsync(productId);
        Assert.True(report.Holds, string.Join("\n", report.Violations));
        Assert.Empty(report.Shortages);
        var stock = await App.Stock.GetStockAsync(productId);
        Assert.All(stock.Locations, l => Assert.InRange(l.QuantityReserved, 0, l.QuantityOnHand));
        return report;
    }
}
