using System.Globalization;

namespace Inventory.Bench;

/// <summary>Command line: --target inprocess|http, --seconds, --clients 1,2,..., --products, --connection, --prefix, --url, --naive-url, --out.</summary>
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
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --target inprocess|http, --seconds, --clients 1,2,4, --products, --connection, --prefix, --url, --naive-url, --out."),
            };
        }
        if (args.Length % 2 != 0) throw new ArgumentException($"Option '{args[^1]}' needs a value.");
        return o;
    }
}
