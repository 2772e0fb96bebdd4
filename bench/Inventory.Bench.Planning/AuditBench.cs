using System.Diagnostics;
using System.Globalization;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Bench.Planning;

/// <summary>
/// The audit against history length: a few products with 0, 100 and 1,000 ledger entries each (checkpoint every 100),
/// audited from the latest checkpoint and, for comparison, fully (every page, the whole ledger). Documents read are
/// counted by <see cref="CountingStore"/>; times are the median of a few runs.
/// </summary>
internal static class AuditBench
{
    private static readonly int[] Histories = [0, 100, 1000, 1050]; // 1,050: half an interval after a checkpoint
    private const int ProductsPerHistory = 3, Runs = 5;

    public static async Task<int> RunAsync(string connectionString)
    {
        var tables = connectionString == "memory" ? null
            : TableDocumentStore.Create(new TableStoreOptions { TableConnectionString = connectionString, TablePrefix = "bench" + Guid.NewGuid().ToString("N")[..8] });
        if (tables is not null) await tables.EnsureCreatedAsync();
        var counting = new CountingStore(tables is null ? new InMemoryDocumentStore() : tables);
        var app = new InventoryApplication(counting);
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "W1", Name = "bench" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "L1", WarehouseId = "W1" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "L2", WarehouseId = "W1" });
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {(File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a")}");
        Console.WriteLine($"store: {(tables is null ? "in-memory" : "Table store")}, checkpoint every {app.Partitions.Ledger.CheckpointEvery}, {ProductsPerHistory} products per history, median of {Runs} runs");
        Console.WriteLine("entries/product  audit ms  audit docs read  full audit ms  full audit docs read  full pages");
        var failures = 0;
        foreach (var history in Histories)
        {
            var products = Enumerable.Range(0, ProductsPerHistory).Select(i => $"A{history}-{i}").ToArray();
            foreach (var p in products) await SeedAsync(app, p, history);
            var quick = new List<(double Ms, long Docs)>();
            var full = new List<(double Ms, long Docs, int Pages)>();
            for (var run = 0; run < Runs; run++)
                foreach (var p in products)
                {
                    counting.Reset();
                    var watch = Stopwatch.StartNew();
                    var report = await app.Invariants.CheckAsync(p);
                    quick.Add((watch.Elapsed.TotalMilliseconds, counting.DocumentsRead));
                    if (!report.Holds) failures++;
                    counting.Reset();
                    watch.Restart();
                    var pages = 0;
                    string? token = null;
                    do
                    {
                        var page = await app.Invariants.CheckFullAsync(p, token);
                        if (!page.Holds) failures++;
                        token = page.ContinuationToken;
                        pages++;
                    } while (token is not null);
                    full.Add((watch.Elapsed.TotalMilliseconds, counting.DocumentsRead, pages));
                }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,15:N0}  {1,8:F1}  {2,15}  {3,13:F1}  {4,20}  {5,10}",
                history, Median(quick.Select(q => q.Ms)), quick.Max(q => q.Docs), Median(full.Select(f => f.Ms)), full.Max(f => f.Docs), full.Max(f => f.Pages)));
        }
        failures += await ClosedReservationsAsync(app, counting);
        if (tables is not null)
            foreach (var c in Enum.GetValues<Collection>()) await new Azure.Data.Tables.TableServiceClient(connectionString).DeleteTableAsync(tables.TableName(c));
        Console.WriteLine(failures == 0 ? "every audit consistent" : $"{failures} audits NOT consistent");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// The audit against closed reservations: a product that was in R orders, each reserved and fully shipped (2 entries
    /// an order), audited from its latest checkpoint. Reservations read are counted under both prefixes (<c>res|</c>
    /// open, <c>rsc|</c> closed): the audit reads the open ones only, so they stay at the one order still open.
    /// </summary>
    private static async Task<int> ClosedReservationsAsync(InventoryApplication app, CountingStore counting)
    {
        Console.WriteLine("closed reservations  audit ms  audit docs read  of which reservations");
        var failures = 0;
        foreach (var orders in new[] { 0, 100, 1000 })
        {
            var p = $"R{orders}";
            await app.SaveProduct.ExecuteAsync(new Product { ProductId = p, Sku = "SKU-" + p, Name = p });
            await app.Receive.ExecuteAsync(new ReceiveCommand(p, "L1", 1_000_000, $"{p}-seed"));
            for (var i = 0; i < orders; i++)
            {
                await app.Reserve.ExecuteAsync(new ReserveCommand($"{p}-o{i}", [new OrderLine(p, 1)]));
                await app.Fulfill.ExecuteAsync(new ReservationChangeCommand($"{p}-o{i}", [new(p, 1)], $"{p}-ship{i}"));
            }
            await app.Reserve.ExecuteAsync(new ReserveCommand($"{p}-open", [new OrderLine(p, 1)])); // one still open
            var runs = new List<(double Ms, long Docs, long Reservations)>();
            for (var run = 0; run < Runs; run++)
            {
                counting.Reset();
                var watch = Stopwatch.StartNew();
                if (!(await app.Invariants.CheckAsync(p)).Holds) failures++;
                runs.Add((watch.Elapsed.TotalMilliseconds, counting.DocumentsRead, counting.DocumentsReadWithPrefix(ProductPartitionIds.ReservationPrefix)
                    + counting.DocumentsReadWithPrefix(ProductPartitionIds.ClosedReservationPrefix)));
            }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,19:N0}  {1,8:F1}  {2,15}  {3,20}",
                orders, Median(runs.Select(r => r.Ms)), runs.Max(r => r.Docs), runs.Max(r => r.Reservations)));
        }
        return failures;
    }

    /// <summary>A product whose ledger holds <paramref name="entries"/> entries: a receipt, then adjustments and transfers.</summary>
    private static async Task SeedAsync(InventoryApplication app, string productId, int entries)
    {
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = productId, Sku = "SKU-" + productId, Name = productId });
        if (entries == 0) return;
        await app.Receive.ExecuteAsync(new ReceiveCommand(productId, "L1", 1_000_000, $"{productId}-seed"));
        for (var i = 1; i < entries; i++)
            await app.Adjust.ExecuteAsync(new AdjustCommand(productId, i % 2 == 0 ? "L1" : "L2", 1, null, "count", $"{productId}-a{i}"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
