using System.Globalization;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Bench;

/// <summary>
/// <c>--target hosts</c>: N local hosts on one store, as a Function App scaled out for a flash sale. Per variant of the
/// hosts' settings it warms every host (<see cref="BenchOptions.Warmup"/>), measures N hosts with 64 clients spread over
/// them, all on one hot product (shared) and each host's clients on a product of their own (separate), then one host with
/// 1 and with 64 clients on a hot product.
/// The cross-instance efficiency is shared ÷ separate (issue 14: ≥ 0.9). With <see cref="BenchOptions.Rounds"/> above 1 the
/// shared and separate points are measured that many times each, in ABBA order (shared, separate, separate, shared...),
/// and the ratio is the mean of the shared points over the mean of the separate ones. Each pattern has tables and hosts
/// of its own (2N hosts, N busy at a time): Azurite slows as a table grows, so on one set of tables every point ran on a
/// slower store than the one before. The books of every product are checked.
/// </summary>
public static class CrossInstance
{
    public sealed record Point(string Variant, string Setup, RunResult Run);

    public static async Task<int> RunAsync(BenchOptions options, string prefix)
    {
        var invariant = CultureInfo.InvariantCulture;
        var variants = new List<(string Name, Dictionary<string, string> Settings)>();
        if (options.CompareSettings.Count > 0)
            variants.Add(("baseline (" + string.Join(", ", options.CompareSettings.Select(kv => $"{kv.Key}={kv.Value}")) + ")", options.CompareSettings));
        variants.Add((options.HostSettings.Count == 0 ? "default settings" : string.Join(", ", options.HostSettings.Select(kv => $"{kv.Key}={kv.Value}")),
            options.HostSettings));
        var n = options.Hosts;
        const int Clients = 64;
        var sharedSetup = $"{n} hosts, {Clients} clients, one hot product (shared)";
        var separateSetup = $"{n} hosts, {Clients / n} clients each on its own product (separate)";
        const string OneClient = "1 host, 1 client, one hot product";
        var oneHost = $"1 host, {Clients} clients, one hot product";
        var points = new List<Point>();
        // Each pattern on tables of its own (prefix + "s" shared, + "p" separate), served by hosts of its own: Azurite
        // slows as a table grows (bench/README.md), so on shared tables each point ran on a slower store than the last.
        var books = new Dictionary<bool, Books>();
        foreach (var shared in new[] { true, false })
            books[shared] = await Books.CreateAsync(options.Connection, prefix + (shared ? "s" : "p"));

        foreach (var (name, settings) in variants)
        {
            Console.WriteLine($"\nVariant: {name}; starting {n} local hosts for each pattern...");
            await using var sharedHosts = await LocalHosts.StartAsync(options.HostDll, n, options.Connection, books[true].Prefix, settings);
            await using var separateHosts = await LocalHosts.StartAsync(options.HostDll, n, options.Connection, books[false].Prefix, settings);
            var targets = new Dictionary<bool, IReservationTarget[]>
            {
                [true] = Targets(sharedHosts),
                [false] = Targets(separateHosts),
            };
            // Every host warmed on its pattern before anything is measured, long enough for tiered JIT to settle: after
            // 4 s the first two points ran at a fifth of the later ones, with p99 near 9 s, while dynamic PGO recompiled
            // (the hosts now run without it; bench/README.md, "Warm hosts").
            foreach (var shared in new[] { false, true })
            {
                var warm = await books[shared].ProductsAsync(shared ? 1 : n);
                var t = targets[shared];
                var w = await LoadRun.ExecuteAsync(t[0], shared ? "warm-up, one product" : "warm-up, own products",
                    (c, _) => (t[c % n], warm[shared ? 0 : c % n]), 4 * n, options.Warmup);
                books[shared].Accepted += w.Reserved;
            }

            async Task Measure(string setup, int clients, int hostCount, bool shared)
            {
                var ids = await books[shared].ProductsAsync(shared ? 1 : hostCount);
                var t = targets[shared];
                var run = await LoadRun.ExecuteAsync(t[0], setup, (c, _) => (t[c % hostCount], ids[shared ? 0 : c % hostCount]), clients, options.Duration);
                books[shared].Accepted += run.Reserved;
                points.Add(new Point(name, setup, run));
                Console.WriteLine(string.Format(invariant, "  {0,-44} {1,9:0.0}/s  p50 {2,7:0} ms  p99 {3,7:0} ms  failed {4}",
                    setup, run.Goodput, run.P50Ms, run.P99Ms, run.Failed));
            }

            // The rounds first, while every host is as warm as the warm-up left it; then one host of the shared set alone.
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var shared in round % 2 == 0 ? new[] { true, false } : [false, true])
                    await Measure(shared ? sharedSetup : separateSetup, Clients, n, shared);
            }
            await Measure(OneClient, 1, 1, true);
            await Measure(oneHost, Clients, 1, true);
        }

        var checks = new[] { await books[true].CheckAsync(), await books[false].CheckAsync() };
        var problems = checks.SelectMany(c => c.Problems).ToArray();
        Console.WriteLine("\nCross-instance efficiency (shared ÷ separate; target ≥ 0.9)");
        foreach (var (name, _) in variants)
        {
            var mine = points.Where(p => p.Variant == name).ToArray();
            double Mean(string setup) => mine.Where(p => p.Setup == setup).Average(p => p.Run.Goodput);
            var (one, many) = (Mean(OneClient), Mean(oneHost));
            Console.WriteLine(string.Format(invariant,
                "  {0,-60} {1:0.00}   (shared ÷ 1 host at {2} clients: {3:0.00}; 1 host {2} clients ÷ 1 client: {4:0.00}; {5} round(s), shared {6:0.0}/s, separate {7:0.0}/s)",
                name, Mean(sharedSetup) / Mean(separateSetup), Clients, Mean(sharedSetup) / many, many / one, options.Rounds, Mean(sharedSetup), Mean(separateSetup)));
        }
        Console.WriteLine(problems.Length == 0 ? "Books balance on every product; invariant checker agrees; nothing oversold." : "BOOKS DO NOT BALANCE:");
        foreach (var p in problems) Console.WriteLine("  " + p);

        Directory.CreateDirectory(options.Out);
        var svg = Path.Combine(options.Out, "cross-instance.svg");
        await File.WriteAllTextAsync(svg, BarChart.Svg($"Reservations/s over HTTP, {n} local hosts on one Azurite ({Environment.ProcessorCount} cores)",
            points.Select(p => (p.Setup, p.Variant, p.Run.Goodput)).ToArray()));
        var text = Path.Combine(options.Out, "latest-hosts.txt");
        await File.WriteAllLinesAsync(text, points.Select(p => string.Format(invariant, "{0} | {1} | {2:0.0}/s | p99 {3:0} ms | failed {4}",
            p.Variant, p.Setup, p.Run.Goodput, p.Run.P99Ms, p.Run.Failed)).Append(problems.Length == 0 ? "books balance" : "BOOKS DO NOT BALANCE"));
        Console.WriteLine($"Wrote {svg} and {text}");
        return problems.Length == 0 ? 0 : 1;
    }

    private static IReservationTarget[] Targets(LocalHosts hosts) =>
        hosts.Urls.Select((u, i) => (IReservationTarget)new HttpTarget($"host {i}", new HttpClient { BaseAddress = u, Timeout = TimeSpan.FromMinutes(2) })).ToArray();

    /// <summary>One pattern's tables: its catalogue, the products made there and what was accepted on them.</summary>
    private sealed class Books(string prefix, BenchCatalog catalog)
    {
        private readonly List<string> products = [];
        public string Prefix { get; } = prefix;
        public long Accepted { get; set; }

        public static async Task<Books> CreateAsync(string connection, string prefix)
        {
            var store = TableDocumentStore.Create(new TableStoreOptions { TableConnectionString = connection, TablePrefix = prefix });
            await store.EnsureCreatedAsync();
            var catalog = new BenchCatalog(new InventoryApplication(store));
            await catalog.PrepareAsync();
            return new Books(prefix, catalog);
        }

        public async Task<string[]> ProductsAsync(int count)
        {
            var ids = Enumerable.Range(0, count).Select(_ => $"XH-{Guid.NewGuid():N}"[..16]).ToArray();
            await catalog.AddProductsAsync(ids, 100_000_000);
            products.AddRange(ids);
            return ids;
        }

        public Task<BooksCheck> CheckAsync() => catalog.CheckAsync(products, Accepted);
    }
}
