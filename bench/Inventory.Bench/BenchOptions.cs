using System.Globalization;

namespace Inventory.Bench;

/// <summary>Command line: --target inprocess|http|hosts|simulation, --instances, --sim-clients, --sim-units, --max-windows 250,500, --hosts, --host-dll, --host-settings, --compare-settings, --rounds, --warmup, --seconds, --clients 1,2,..., --products, --connection, --prefix, --url, --naive-url, --out.</summary>
public sealed record BenchOptions
{
    public string Target { get; init; } = "inprocess";
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
    public IReadOnlyList<int> Clients { get; init; } = [1, 2, 4, 8, 16, 32, 64];
    public int Products { get; init; } = 1000;
    public string Connection { get; init; } =
        Environment.GetEnvironmentVariable("INVENTORY_TEST_STORAGE") is { Length: > 0 } cs ? cs : "UseDevelopmentStorage=true";
    public string? Prefix { get; init; }
    public Uri Url { get; init; } = new("http://127.0.0.1:7071/");
    public Uri? NaiveUrl { get; init; }
    public string Out { get; init; } = "bench/results";
    /// <summary>--target hosts: how many local hosts, which build, their settings, and the settings of a baseline run first.</summary>
    public int Hosts { get; init; } = 4;
    public string HostDll { get; init; } = "functions/Inventory.LocalHost/bin/Release/net10.0/Inventory.LocalHost.dll";
    public Dictionary<string, string> HostSettings { get; init; } = [];
    public Dictionary<string, string> CompareSettings { get; init; } = [];
    /// <summary>--target hosts: how many times the shared and separate points are measured, alternating (ABBA) so that a store slowing as it fills weighs on both alike.</summary>
    public int Rounds { get; init; } = 2;
    /// <summary>--target hosts: seconds each host is driven on each pattern before anything is measured (tiered JIT settles).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>--target simulation: application instances and clients over the simulated Cosmos DB.</summary>
    public int Instances { get; init; } = 40;
    public int SimulationClients { get; init; } = 400;
    /// <summary>--target simulation: the hot product's stock; a small one runs it out during the run (sold out: refusals, escrow's gathering).</summary>
    public long SimulationUnits { get; init; } = 100_000_000;
    /// <summary>Extra simulation variants: the adaptive window with these caps (ms) besides the default.</summary>
    public IReadOnlyList<int> MaxWindows { get; init; } = [];
    /// <summary>
    /// Extra simulation variants: the hot product's stock split over this many products, instance i reserving product
    /// i mod k. What escrow buckets (docs/coalescing.md) could reach at best: k partitions, nothing rebalanced.
    /// </summary>
    public IReadOnlyList<int> Splits { get; init; } = [];
    /// <summary>
    /// Extra simulation variants: the hot product in escrow with this many buckets, instance i reserving in bucket i mod k + 1.
    /// Escrow 8 by default (the variant that meets issue 14's moonshot); <c>--escrow 0</c>: none.
    /// </summary>
    public IReadOnlyList<int> Escrows { get; init; } = [8];
    /// <summary>Extra simulation variants: no product named, escrow switched on by contention (Escrow__Automatic) with this many buckets.</summary>
    public IReadOnlyList<int> AutoEscrows { get; init; } = [];
    /// <summary>
    /// --target hosts: a variant after the measured one, its hot products in escrow with this many buckets, host i in
    /// bucket i mod k + 1. By default as many buckets as hosts (the variant that meets issue 14's efficiency); 0: none.
    /// </summary>
    public int? HostEscrow { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            o = args[i] switch
            {
                "--target" => o with { Target = v },
                "--seconds" => o with { Duration = TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture)) },
                "--clients" => o with { Clients = v.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() },
                "--products" => o with { Products = int.Parse(v, CultureInfo.InvariantCulture) },
                "--connection" => o with { Connection = v },
                "--prefix" => o with { Prefix = v },
                "--url" => o with { Url = new Uri(v.TrimEnd('/') + "/") },
                "--naive-url" => o with { NaiveUrl = new Uri(v.TrimEnd('/') + "/") },
                "--out" => o with { Out = v },
                "--instances" => o with { Instances = int.Parse(v, CultureInfo.InvariantCulture) },
                "--sim-units" => o with { SimulationUnits = long.Parse(v, CultureInfo.InvariantCulture) },
                "--sim-clients" => o with { SimulationClients = int.Parse(v, CultureInfo.InvariantCulture) },
                "--max-windows" => o with { MaxWindows = v.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() },
                "--split" => o with { Splits = v.Split(',').Select(c => Math.Max(1, int.Parse(c, CultureInfo.InvariantCulture))).ToArray() },
                "--escrow" => o with { Escrows = v.Split(',').Select(c => Math.Clamp(int.Parse(c, CultureInfo.InvariantCulture), 0, 64)).Where(k => k > 0).ToArray() },
                "--auto-escrow" => o with { AutoEscrows = v.Split(',').Select(c => Math.Clamp(int.Parse(c, CultureInfo.InvariantCulture), 1, 64)).ToArray() },
                "--host-escrow" => o with { HostEscrow = Math.Clamp(int.Parse(v, CultureInfo.InvariantCulture), 0, 64) },
                "--hosts" => o with { Hosts = int.Parse(v, CultureInfo.InvariantCulture) },
                "--host-dll" => o with { HostDll = v },
                "--host-settings" => o with { HostSettings = Settings(v) },
                "--compare-settings" => o with { CompareSettings = Settings(v) },
                "--rounds" => o with { Rounds = Math.Max(1, int.Parse(v, CultureInfo.InvariantCulture)) },
                "--warmup" => o with { Warmup = TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --target inprocess|http|hosts|simulation, --instances, --sim-clients, --sim-units, --max-windows 250,500, --split 2,4, --escrow 4,8, --auto-escrow 8, --host-escrow K, --hosts N, --host-dll, --host-settings K=V,K=V, --compare-settings K=V,K=V, --rounds N, --warmup S, --seconds, --clients 1,2,4, --products, --connection, --prefix, --url, --naive-url, --out."),
            };
        }
        if (args.Length % 2 != 0) throw new ArgumentException($"Option '{args[^1]}' needs a value.");
        return o;
    }

    private static Dictionary<string, string> Settings(string v) => v.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0].Trim(), kv => kv.Length > 1 ? kv[1].Trim() : "", StringComparer.Ordinal);
}
