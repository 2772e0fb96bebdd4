using Inventory.Testing;
using System.Diagnostics;
using Inventory.Application;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Storage.Tables;

namespace Inventory.Bench.Planning;

/// <summary>
/// The nightly scan over N products on the Table store: seeds a fresh set of tables (each product: catalog, head with
/// 28 days of demand, one balance; a tenth below threshold), runs the scan, and samples memory every page to show it
/// stays flat as the catalogue grows (the scan holds one page of products at a time).
/// </summary>
internal static class ScanBench
{
    public static async Task<int> RunAsync(int products, string connectionString)
    {
        // "memory": the in-memory store of the tests, to measure the scan's own cost without an emulator's.
        var tables = connectionString == "memory" ? null
            : TableDocumentStore.Create(new TableStoreOptions { TableConnectionString = connectionString, TablePrefix = "bench" + Guid.NewGuid().ToString("N")[..8] });
        IDocumentStore store = tables is null ? new Inventory.Testing.InMemoryDocumentStore() : tables;
        if (tables is not null) await tables.EnsureCreatedAsync();
        var app = new InventoryApplication(store) { ReplenishmentOptions = new ReplenishmentOptions { ScanPageSize = 200, ScanParallelism = 16 } };
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "W1", Name = "bench" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "L1", WarehouseId = "W1" });

        var seed = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, products), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var documents = SeedDocuments(i);
            await store.CommitAsync(Collection.Products, $"P{i:D7}", documents, ct);
            // The product's catalogue index row, as its save would have written it: the scan walks the index.
            var product = DocumentJson.Read<Product>(((DocumentWrite.Create)documents[0]).Body);
            await store.CommitAsync(Collection.Catalog, Inventory.Application.Catalog.CatalogIndex.Bucket(product.ProductId),
                [new DocumentWrite.Create(product.ProductId, DocumentJson.Write(Inventory.Application.Catalog.CatalogEntry.Of(product, false, null, DateTimeOffset.UtcNow)))], ct);
        });
        Console.WriteLine($"seeded {products:N0} products in {seed.Elapsed.TotalSeconds:F0} s");

        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        long peakHeap = 0;
        using var sampler = new Timer(_ => { var m = GC.GetTotalMemory(false); if (m > peakHeap) peakHeap = m; }, null, 0, 50);
        var scan = Stopwatch.StartNew();
        using var progress = new Timer(_ => Console.WriteLine(
            $"  {scan.Elapsed.TotalSeconds,6:F0} s: {app.ReplenishmentScan.LatestAsync().GetAwaiter().GetResult()?.Scanned ?? 0,7:N0} scanned, " +
            $"heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB"), null, 10_000, 10_000);
        var run = await app.ReplenishmentScan.ExecuteAsync(runId: "bench");
        scan.Stop();
        Console.WriteLine($"scan: {run.Scanned:N0} products, {run.OrdersCreated:N0} orders, {run.SkippedOpenOrder:N0} skipped, {run.Errors} errors " +
            $"in {scan.Elapsed.TotalSeconds:F1} s = {run.Scanned / scan.Elapsed.TotalSeconds:N0} products/s");
        Console.WriteLine($"managed heap: baseline {baseline / 1048576.0:F1} MiB, peak during scan {peakHeap / 1048576.0:F1} MiB; " +
            $"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        if (tables is not null)
            foreach (var c in Enum.GetValues<Collection>()) await new Azure.Data.Tables.TableServiceClient(connectionString).DeleteTableAsync(tables.TableName(c));
        return run.Errors == 0 ? 0 : 1;
    }

    private static DocumentWrite[] SeedDocuments(int i)
    {
        var id = $"P{i:D7}";
        var low = i % 10 == 0;
        var product = new Product
        {
            ProductId = id, Sku = "SKU-" + id, Name = id, ReorderPoint = 20, ReorderQuantity = 100, LeadTimeDays = 7,
            AutoReplenish = true, PreferredSupplierId = "SUP-1",
        };
        var demand = new DemandHistory();
        for (var d = 1; d <= 28; d++) demand.RecordShipment(DateTimeOffset.UtcNow.AddDays(-d), i % 4);
        var balance = new StockBalance { LocationId = "L1", WarehouseId = "W1", LocationType = LocationType.Bulk, QuantityOnHand = low ? 5 : 10_000 };
        return
        [
            new DocumentWrite.Create(ProductPartitionIds.Product, DocumentJson.Write(product)),
            new DocumentWrite.Create(ProductPartitionIds.Head, DocumentJson.Write(new StockHead(id, 0, demand.ShippedByDay))),
            new DocumentWrite.Create(ProductPartitionIds.Balance("L1"), DocumentJson.Write(balance)),
        ];
    }
}
