using System.Globalization;
using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Testing;

namespace Inventory.Bench;

/// <summary>
/// <c>--target simulation</c>: internet scale in one process. <see cref="BenchOptions.Instances"/> application instances
/// (each its own <see cref="InventoryApplication"/>, so each coalesces only its own requests, as separate Function App
/// instances do) over one <see cref="SimulatedCosmosStore"/>; closed-loop clients spread over them reserve one hot
/// product. Reports goodput, p50/p99, 429s, the hot partition's RU/s and requests per commit, per variant of the
/// concurrency settings, and checks the books (no oversell, invariants).
/// </summary>
public static class Simulation
{
    /// <summary>Issue 14's moonshot under the Cosmos model (the books' check is the "zero oversell").</summary>
    private static class Moonshot
    {
        public const double Goodput = 2000, P99Ms = 1000;
    }

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var invariant = CultureInfo.InvariantCulture;
        var model = new CosmosModel();
        Console.WriteLine(string.Format(invariant, "Simulated Cosmos DB: {0:0} RU/s per partition, read {1} ms, commit {2} ms (+0-{3} ms), SDK retries {4}; " +
            "{5} instances, {6} clients, one hot product, {7:0.#} s per variant",
            model.PartitionRuPerSecond, model.ReadLatency.TotalMilliseconds, model.CommitLatency.TotalMilliseconds, model.Jitter.TotalMilliseconds,
            model.SdkRetries, options.Instances, options.SimulationClients, options.Duration.TotalSeconds));
        Console.WriteLine("variant                 goodput/s  p50 ms  p99 ms  failed  client retries  429s  req/commit  conflicts/commit  hot RU/s  books");
        var ok = true;
        var lines = new List<string>();
        var bars = new List<(string, string, double)>();
        var moonshot = new List<string>();
        foreach (var (name, concurrency, split, escrow, automatic) in new[]
        {
            ("fixed window", new ConcurrencyOptions { AdaptiveWindow = false }, 1, 0, false),
            ("adaptive window", new ConcurrencyOptions(), 1, 0, false),
        }.Concat(options.MaxWindows.Select(ms => ($"adaptive, max {ms} ms", new ConcurrencyOptions { MaxCoalescingWindow = TimeSpan.FromMilliseconds(ms) }, 1, 0, false)))
         .Concat(options.Splits.Select(k => ($"adaptive, split {k}", new ConcurrencyOptions(), k, 0, false)))
         .Concat(options.Escrows.Select(k => ($"adaptive, escrow {k}", new ConcurrencyOptions(), 1, k, false)))
         .Concat(options.AutoEscrows.Select(k => ($"adaptive, auto escrow {k}", new ConcurrencyOptions(), 1, k, true))))
        {
            var memory = new InMemoryDocumentStore { ShortPages = false };
            var store = new SimulatedCosmosStore(memory, model);
            var setup = new InventoryApplication(store);
            var catalog = new BenchCatalog(setup);
            await catalog.PrepareAsync();
            // split > 1: the hot product's stock over that many products, instance i reserving product i mod split.
            var products = Enumerable.Range(0, split).Select(_ => $"SIM-{Guid.NewGuid():N}"[..16]).ToArray();
            await catalog.AddProductsAsync(products, options.SimulationUnits / split);

            // escrow k > 0: the hot product in escrow with k buckets, instance i reserving in bucket i mod k + 1 (automatic: once
            // contention switches it in).
            var apps = Enumerable.Range(0, options.Instances).Select(i => new InventoryApplication(store, concurrency: concurrency)
            {
                EscrowOptions = escrow == 0 ? new()
                    : automatic ? new() { Automatic = true, Buckets = escrow, Bucket = i % escrow + 1 }
                    : new() { Products = products.ToHashSet(StringComparer.Ordinal), Buckets = escrow, Bucket = i % escrow + 1 },
            }).ToArray();
            var targets = apps.Select((a, i) => new PersistentTarget(new InProcessTarget($"instance {i}", a), TimeSpan.FromMilliseconds(200))).ToArray();
            var spentBefore = store.Spent;
            var throttledBefore = store.Throttled;
            var run = await LoadRun.ExecuteAsync(targets[0], "hot", (c, _) => (targets[c % targets.Length], products[c % targets.Length % split]), options.SimulationClients, options.Duration);
            var commits = apps.Sum(a => a.Statistics.Commits);
            var requests = apps.Sum(a => a.Statistics.CommittedRequests);
            var conflicts = apps.Sum(a => a.Statistics.Conflicts);
            // What the recovery sweep does after a move's second half failed (throttled): before the books are checked.
            if (escrow > 0) foreach (var b in apps[0].Escrow.BucketsOf(products[0])) await apps[0].Escrow.RecoverAsync(b, CancellationToken.None);
            // A run that sold the product out: the units left available while orders were refused, and whether they are still
            // reservable afterwards (every instance asks in turn, one request at a time) or were lost to the run.
            string? soldOut = null;
            long after = 0;
            if (run.Refused > 0)
            {
                var left = (await setup.Stock.GetStockAsync(products[0])).QuantityAvailable;
                for (var i = 0; i < left + apps.Length; i++)
                {
                    try { await apps[i % apps.Length].Reserve.ExecuteAsync(new(Guid.NewGuid().ToString("N"), [new(products[0], 1)])); after++; }
                    catch (Inventory.Domain.InsufficientStockException) { }
                }
                soldOut = string.Create(invariant,
                    $"  refused as sold out: {run.Refused}, accepted {run.Reserved} of {options.SimulationUnits} units; {left} available after the run, {after} of them reserved one by one after it");
            }
            var books = await catalog.CheckAsync(products, run.Reserved + after);
            ok &= books.Holds;
            var line = string.Format(invariant, "{0,-22} {1,10:0.0} {2,7:0} {3,7:0} {4,7} {5,15} {6,5} {7,11:0.0} {8,17:0.00} {9,9:0} {10}",
                name, run.Goodput, run.P50Ms, run.P99Ms, run.Failed, targets.Sum(t => t.Retries), store.Throttled - throttledBefore,
                requests / (double)Math.Max(1, commits), conflicts / (double)Math.Max(1, commits),
                (store.Spent - spentBefore) / run.Elapsed.TotalSeconds, books.Holds ? "balance" : "DO NOT BALANCE");
            Console.WriteLine(line);
            lines.Add(line);
            if (run.Goodput >= Moonshot.Goodput && run.P99Ms <= Moonshot.P99Ms && books.Holds) moonshot.Add(name);
            bars.Add(("goodput/s", name, run.Goodput));
            bars.Add(("p99 latency, 10 ms units", name, run.P99Ms / 10));
            var failures = targets.Select(t => t.Inner).OfType<InProcessTarget>().SelectMany(t => t.Failures)
                .GroupBy(f => f.Key, f => f.Value).Select(g => $"{g.Key} {g.Sum()}").ToArray();
            Console.WriteLine("  p99 ms of the requests sent in each second: " + string.Join(" ", run.P99BySecond.Select(p => p.ToString("0", invariant))));
            if (failures.Length > 0) Console.WriteLine("  answers retried by the clients: " + string.Join(", ", failures));
            var throttledIn = store.ThrottledIn.OrderByDescending(kv => kv.Value).Take(3).Select(kv => $"{kv.Key} {kv.Value}").ToArray();
            store.ThrottledIn.Clear();
            if (throttledIn.Length > 0) Console.WriteLine("  429s mostly in: " + string.Join(", ", throttledIn));
            if (soldOut is not null) Console.WriteLine(soldOut);
            if (escrow > 0)
            {
                var moves = apps.Select(a => a.Escrow.Moves).ToArray();
                Console.WriteLine(string.Create(invariant, $"  escrow: {moves.Sum(m => m.Grants)} grants, {moves.Sum(m => m.Returns)} returns, {moves.Sum(m => m.Unfinished)} second halves left to recovery"));
            }
            foreach (var p in books.Problems) Console.WriteLine("  " + p);
        }
        Console.WriteLine("(hot RU/s: every partition's RU during the run, the hot product's partition almost all of it, or with split k its k " +
            string.Create(invariant, $"partitions; each partition's budget is {model.PartitionRuPerSecond:0})"));
        var verdict = string.Create(invariant, $"moonshot (one hot product: >= {Moonshot.Goodput:0} reservations/s, p99 <= {Moonshot.P99Ms:0} ms, books balance, nothing oversold): ") +
            (moonshot.Count > 0 ? "met by " + string.Join(", ", moonshot) : "not met by any variant");
        Console.WriteLine(verdict);
        lines.Add(verdict);
        Directory.CreateDirectory(options.Out);
        await File.WriteAllLinesAsync(Path.Combine(options.Out, "latest-simulation.txt"), lines);
        await File.WriteAllTextAsync(Path.Combine(options.Out, "simulation.svg"), BarChart.Svg(
            $"{options.Instances} instances, {options.SimulationClients} clients, one hot product, simulated Cosmos DB ({Environment.ProcessorCount} cores)", bars));
        return ok ? 0 : 1;
    }
}
