using System.Globalization;

namespace Inventory.Bench;

/// <summary>
/// <c>--target hosts</c>: N local hosts on one store, as a Function App scaled out for a flash sale. Per variant of the
/// hosts' settings it warms every host (<see cref="BenchOptions.Warmup"/>), measures N hosts with 64 clients spread over
/// them, all on one hot product (shared) and each host's clients on a product of their own (separate), then one host with
/// 1 and with 64 clients on a hot product.
/// The cross-instance efficiency is shared ÷ separate (issue 14: ≥ 0.9). With <see cref="BenchOptions.Rounds"/> above 1 the
/// shared and separate points are measured that many times each, in ABBA order (shared, separate, separate, shared...): a
/// point measured later runs on a fuller store, which Azurite serves more slowly, so alternating keeps that drift out of
/// the ratio, which is then the mean of the shared points over the mean of the separate ones. The books of every
/// product are checked. Unless <c>--host-escrow 0</c>, a last variant runs the hot products in escrow (a bucket per host
/// by default), and the run ends with the target's verdict.
/// </summary>
public static class CrossInstance
{
    /// <summary>Issue 14's target for shared ÷ separate.</summary>
    private const double Target = 0.9;

    public sealed record Point(string Variant, string Setup, RunResult Run);

    public static async Task<int> RunAsync(BenchOptions options, string prefix, BenchCatalog catalog)
    {
        var invariant = CultureInfo.InvariantCulture;
        var variants = new List<(string Name, Dictionary<string, string> Settings)>();
        if (options.CompareSettings.Count > 0)
            variants.Add(("baseline (" + string.Join(", ", options.CompareSettings.Select(kv => $"{kv.Key}={kv.Value}")) + ")", options.CompareSettings));
        var measured = options.HostSettings.Count == 0 ? "default settings" : string.Join(", ", options.HostSettings.Select(kv => $"{kv.Key}={kv.Value}"));
        variants.Add((measured, options.HostSettings));
        var n = options.Hosts;
        var escrow = options.HostEscrow ?? n;
        if (escrow > 0) variants.Add(($"{measured}, escrow {escrow}", options.HostSettings));
        const int Clients = 64;
        var sharedSetup = $"{n} hosts, {Clients} clients, one hot product (shared)";
        var separateSetup = $"{n} hosts, {Clients / n} clients each on its own product (separate)";
        const string OneClient = "1 host, 1 client, one hot product";
        var oneHost = $"1 host, {Clients} clients, one hot product";
        var points = new List<Point>();
        var products = new List<string>();
        long accepted = 0;

        // With --host-escrow k the measured variant's hot products (named before its hosts start) are in escrow.
        var hot = new Queue<string>();
        async Task<string[]> ProductsAsync(int count, bool shared = false)
        {
            var ids = Enumerable.Range(0, count).Select(i => i == 0 && shared && hot.Count > 0 ? hot.Dequeue() : $"XH-{Guid.NewGuid():N}"[..16]).ToArray();
            await catalog.AddProductsAsync(ids, 100_000_000);
            products.AddRange(ids);
            return ids;
        }

        foreach (var (name, settings) in variants)
        {
            Func<int, IReadOnlyDictionary<string, string>>? perHost = null;
            var all = new Dictionary<string, string>(settings);
            hot.Clear();
            if (escrow > 0 && name == variants[^1].Name)
            {
                for (var i = 0; i < options.Rounds + 3; i++) hot.Enqueue($"XH-{Guid.NewGuid():N}"[..16]);
                (all["Escrow__Products"], all["Escrow__Buckets"]) = (string.Join(",", hot), escrow.ToString(invariant));
                perHost = i => new Dictionary<string, string> { ["Escrow__Bucket"] = (i % escrow + 1).ToString(invariant) };
            }
            Console.WriteLine($"\nVariant: {name}; starting {n} local hosts...");
            await using var hosts = await LocalHosts.StartAsync(options.HostDll, n, options.Connection, prefix, all, perHost);
            var targets = hosts.Urls.Select((u, i) => (IReservationTarget)new HttpTarget($"host {i}", new HttpClient { BaseAddress = u, Timeout = TimeSpan.FromMinutes(2) })).ToArray();
            // Every host warmed on both patterns before anything is measured, long enough for tiered JIT to settle: after
            // 4 s the first two points ran at a fifth of the later ones, with p99 near 9 s, while dynamic PGO recompiled
            // (the hosts now run without it; bench/README.md, "Warm hosts").
            var warm = await ProductsAsync(n, shared: true); // warm[0] is the warm-up's one product
            foreach (var (pattern, apart) in new[] { ("warm-up, own products", true), ("warm-up, one product", false) })
            {
                var w = await LoadRun.ExecuteAsync(targets[0], pattern, (c, _) => (targets[c % n], warm[apart ? c % n : 0]), 4 * n, options.Warmup);
                accepted += w.Reserved;
            }

            async Task Measure(string setup, int clients, int hostCount, bool shared)
            {
                var ids = await ProductsAsync(shared ? 1 : hostCount, shared);
                var run = await LoadRun.ExecuteAsync(targets[0], setup,
                    (c, _) => (targets[c % hostCount], ids[shared ? 0 : c % hostCount]), clients, options.Duration);
                accepted += run.Reserved;
                points.Add(new Point(name, setup, run));
                Console.WriteLine(string.Format(invariant, "  {0,-44} {1,9:0.0}/s  p50 {2,7:0} ms  p99 {3,7:0} ms  failed {4}",
                    setup, run.Goodput, run.P50Ms, run.P99Ms, run.Failed));
            }

            // The rounds first, while every host is as warm as the warm-up left it; then host 0 alone.
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var shared in round % 2 == 0 ? new[] { true, false } : [false, true])
                    await Measure(shared ? sharedSetup : separateSetup, Clients, n, shared);
            }
            await Measure(OneClient, 1, 1, true);
            await Measure(oneHost, Clients, 1, true);
        }

        var books = await catalog.CheckAsync(products, accepted);
        Console.WriteLine("\nCross-instance efficiency (shared ÷ separate; target ≥ 0.9)");
        var met = new List<string>();
        foreach (var name in points.Select(p => p.Variant).Distinct())
        {
            var mine = points.Where(p => p.Variant == name).ToArray();
            double Mean(string setup) => mine.Where(p => p.Setup == setup).Average(p => p.Run.Goodput);
            var (one, many) = (Mean(OneClient), Mean(oneHost));
            if (Mean(sharedSetup) / Mean(separateSetup) >= Target && books.Holds) met.Add(name);
            Console.WriteLine(string.Format(invariant,
                "  {0,-60} {1:0.00}   (shared ÷ 1 host at {2} clients: {3:0.00}; 1 host {2} clients ÷ 1 client: {4:0.00}; {5} round(s), shared {6:0.0}/s, separate {7:0.0}/s)",
                name, Mean(sharedSetup) / Mean(separateSetup), Clients, Mean(sharedSetup) / many, many / one, options.Rounds, Mean(sharedSetup), Mean(separateSetup)));
        }
        Console.WriteLine(books.Holds ? "Books balance on every product; invariant checker agrees; nothing oversold." : "BOOKS DO NOT BALANCE:");
        foreach (var p in books.Problems) Console.WriteLine("  " + p);
        var verdict = string.Create(invariant, $"cross-instance efficiency (>= {Target:0.0}, {n} hosts, books balance): ")
            + (met.Count > 0 ? "met by " + string.Join("; ", met) : "not met by any variant");
        Console.WriteLine(verdict);

        Directory.CreateDirectory(options.Out);
        var svg = Path.Combine(options.Out, "cross-instance.svg");
        await File.WriteAllTextAsync(svg, BarChart.Svg($"Reservations/s over HTTP, {n} local hosts on one Azurite ({Environment.ProcessorCount} cores)",
            points.Select(p => (p.Setup, p.Variant, p.Run.Goodput)).ToArray()));
        var text = Path.Combine(options.Out, "latest-hosts.txt");
        await File.WriteAllLinesAsync(text, points.Select(p => string.Format(invariant, "{0} | {1} | {2:0.0}/s | p99 {3:0} ms | failed {4}",
            p.Variant, p.Setup, p.Run.Goodput, p.Run.P99Ms, p.Run.Failed)).Append(books.Holds ? "books balance" : "BOOKS DO NOT BALANCE").Append(verdict));
        Console.WriteLine($"Wrote {svg} and {text}");
        return books.Holds ? 0 : 1;
    }
}
