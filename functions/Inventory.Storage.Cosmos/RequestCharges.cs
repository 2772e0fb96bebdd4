using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// The request units of one logical operation (a reservation, a fulfilment, a receipt): every Cosmos call made inside
/// the scope, on this async flow and the tasks it starts, adds its charge. Scopes nest; an outer scope sees the inner ones' RU.
/// </summary>
public sealed class RequestChargeScope : IDisposable
{
    private readonly Lock gate = new();
    private readonly RequestChargeScope? parent;
    private double total;
    private int requests;
    private bool disposed;

    internal RequestChargeScope(string name, RequestChargeScope? parent)
    {
        Name = name;
        this.parent = parent;
    }

    public string Name { get; }

    public double Total { get { lock (gate) return total; } }

    public int Requests { get { lock (gate) return requests; } }

    internal void Add(double charge)
    {
        lock (gate)
        {
            total += charge;
            requests++;
        }
        parent?.Add(charge);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ReferenceEquals(RequestCharges.Current, this)) RequestCharges.Current = parent;
    }
}

/// <summary>
/// Records the RU charge of every Cosmos call: a debug log line, the <c>inventory.cosmos.request_charge</c> histogram
/// (tags: operation, collection) on the <c>Inventory.Storage.Cosmos</c> meter, and the open <see cref="RequestChargeScope"/>s.
/// </summary>
public static class RequestCharges
{
    public const string MeterName = "Inventory.Storage.Cosmos";
    public const string HistogramName = "inventory.cosmos.request_charge";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Histogram =
        Meter.CreateHistogram<double>(HistogramName, unit: "RU", description: "Request units charged by Cosmos DB per store call.");
    private static readonly AsyncLocal<RequestChargeScope?> Scope = new();

    internal static RequestChargeScope? Current
    {
        get => Scope.Value;
        set => Scope.Value = value;
    }

    /// <summary>Starts totalling RU for a logical operation; dispose to stop. Call it from the method that runs the operation.</summary>
    public static RequestChargeScope Begin(string name)
    {
        var scope = new RequestChargeScope(name, Scope.Value);
        Scope.Value = scope;
        return scope;
    }

    internal static void Record(ILogger logger, string operation, string collection, string? partition, double charge)
    {
        Histogram.Record(charge, new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("collection", collection));
        Scope.Value?.Add(charge);
        logger.LogDebug("Cosmos {Operation} on {Collection}/{Partition}: {RequestCharge} RU", operation, collection, partition ?? "*", charge);
    }
}
