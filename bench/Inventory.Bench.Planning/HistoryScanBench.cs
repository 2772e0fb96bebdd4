using System.Diagnostics;
using System.Globalization;
using Inventory.Application;
using Inventory.Application.Catalog;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Bench.Planning;

/// <summary>
/// Issue 17: the nightly scan at a fixed catalogue against the length of each product's history. For each history
/// length H, a fresh store is seeded with N products (catalog document, head, one balance, H ledger entries, and the
/// product's catalogue index row), then it times the listing of every product the old way (the Products collection
/// across partitions, <c>RowKey eq 'product'</c> on Table) and the new way (the index buckets), and the whole scan,
/// counting what the scan reads per product through a <see cref="CountingStore"/>.
/// </summary>
internal static class HistoryScanBench
{
    public static async Task<int> RunAsync(int products, int[] histories, string connectionString)
    {
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}, {products:N0} products, store: " +
            (connectionString == "memory" ? "in-memory" : "Table (Azurite)"));
        Console.WriteLine("| history/product | entities in Products | old listing s | index listing s | scan s | products/s | index rows read/product | product reads/product | documents read/product |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var failed = false;
        foreach (var history in histories)
        {
            var tables = connectionString == "memory" ? null
                : TableDocumentStore.Create(new TableStoreOptions { TableConnectionString = connectionString, TablePrefix = "hist" + Guid.NewGuid().ToString("N")[..8] });
            if (tables is not null) await tables.EnsureCreatedAsync();
            var counting = new CountingStore(tables is null ? new InMemoryDocumentStore { ShortPages = false } : tables);
            try
            {
                var app = new InventoryApplication(counting) { ReplenishmentOptions = new ReplenishmentOptions { ScanPageSize = 200, ScanParallelism = 16 } };
                var seed = Stopwatch.StartNew();
                var entities = await SeedAsync(counting, products, history);
                Console.Error.WriteLine($"  H={history}: seeded {entities:N0} entities in {seed.Elapsed.TotalSeconds:F0} s");

                var old = Stopwatch.StartNew();
                var listedOld = await ListOldAsync(counting);
                old.Stop();
                var index = Stopwatch.StartNew();
                var listedNew = await ListIndexAsync(app.CatalogIndex);
                index.Stop();

                counting.Reset();
                var scan = Stopwatch.StartNew();
                var run = await app.ReplenishmentScan.ExecuteAsync(runId: "history-" + history.ToString(CultureInfo.InvariantCulture));
                scan.Stop();
                failed |= run.Errors > 0 || run.Scanned != products || listedOld != products || listedNew != products
                    || counting.Calls("ListPartitions") + counting.Calls("QueryAcrossPartitions") > 0;
                double per(long n) => (double)n / run.Scanned;
                Console.WriteLine($"| {history:N0} | {entities:N0} | {old.Elapsed.TotalSeconds:F2} | {index.Elapsed.TotalSeconds:F2} | {scan.Elapsed.TotalSeconds:F2} | " +
                    $"{run.Scanned / scan.Elapsed.TotalSeconds:N0} | {per(counting.Documents("Query", Collection.Catalog)):F2} | " +
                    $"{per(counting.Calls("Read", Collection.Products)):F2} | {per(counting.Documents("Read", Collection.Products)):F2} |");
            }
            finally
            {
                if (tables is not null)
                    foreach (var c in Enum.GetValues<Collection>()) await new Azure.Data.Tables.TableServiceClient(connectionString).DeleteTableAsync(tables.TableName(c));
            }
        }
        Console.WriteLine($"load average at the end {LoadAverage()}");
        return failed ? 1 : 0;
    }

    /// <summary>Seeds every product's partition (history in commits of 100) and its index row; returns the entities in Products.</summary>
    private static async Task<long> SeedAsync(CountingStore store, int products, int history)
    {
        long entities = 0;
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, products), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var id = $"P{i:D7}";
            var product = new Product
            {
                ProductId = id, Sku = "SKU-" + id, Name = id, ReorderPoint = 20, ReorderQuantity = 100, LeadTimeDays = 7,
                AutoReplenish = true, PreferredSupplierId = "SUP-1",
            };
            var balance = new StockBalance { LocationId = "L1", WarehouseId = "W1", LocationType = LocationType.Bulk, QuantityOnHand = 10_000 + history };
            await store.CommitAsync(Collection.Products, id,
            [
                new DocumentWrite.Create(ProductPartitionIds.Product, DocumentJson.Write(product)),
                new DocumentWrite.Create(ProductPartitionIds.Head, DocumentJson.Write(new StockHead(id, history))),
                new DocumentWrite.Create(ProductPartitionIds.Balance("L1"), DocumentJson.Write(balance)),
            ], ct);
            for (var from = 1; from <= history; from += 100)
                await store.CommitAsync(Collection.Products, id, [.. Enumerable.Range(from, Math.Min(100, history - from + 1)).Select(seq =>
                    new DocumentWrite.Create(ProductPartitionIds.Ledger(seq), DocumentJson.Write(new LedgerEntry
                    {
                        TxnId = $"RECEIVE:h{seq}:L1", Sequence = seq, ProductId = id, LocationId = "L1", TxnType = TxnType.Receive, Quantity = 1,
                        OnHandDelta = 1, ReservedDelta = 0, OnHandAfter = 10_000 + seq, ReservedAfter = 0, ReferenceId = "h" + seq,
                        ReferenceType = "Receipt", PerformedBy = "bench", CreatedAt = now,
                    })))], ct);
            await store.CommitAsync(Collection.Catalog, CatalogIndex.Bucket(id),
                [new DocumentWrite.Create(id, DocumentJson.Write(CatalogEntry.Of(product, false, null, now)))], ct);
            Interlocked.Add(ref entities, 3 + history);
        });
        return entities;
    }

    private static async Task<int> ListOldAsync(CountingStore store)
    {
        var (count, token) = (0, (string?)null);
        do
        {
            var (page, next) = await store.ListPartitionsAsync(Collection.Products, ProductPartitionIds.Product, 200, token);
            (count, token) = (count + page.Count, next);
        } while (token is not null);
        return count;
    }

    private static async Task<int> ListIndexAsync(CatalogIndex index)
    {
        var (count, token) = (0, (string?)null);
        do
        {
            var page = await index.PageAsync(200, token, 64, default);
            (count, token) = (count + page.Rows.Count, page.ContinuationToken);
        } while (token is not null);
        return count;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
