using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// Records the RU charge of every Cosmos call: an Information log line (kept by the default levels, so the charge of a
/// single call can be found in Application Insights), the <c>inventory.cosmos.request_charge</c> histogram (tags:
/// operation, collection) on the <c>Inventory.Storage.Cosmos</c> meter, and the logical operation it was made for
/// (<see cref="OperationCost"/>, shared calls split among the requests they served).
/// </summary>
public static class RequestCharges
{
    public const string MeterName = "Inventory.Storage.Cosmos";
    public const string HistogramName = "inventory.cosmos.request_charge";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Histogram =
        Meter.CreateHistogram<double>(HistogramName, unit: "RU", description: "Request units charged by Cosmos DB per store call.");
    internal static void Record(ILogger logger, string operation, string collection, string? partition, double charge)
    {
        Histogram.Record(charge, new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("collection", collection));
        OperationCost.Charge(charge);
        logger.LogInformation("Cosmos {Operation} on {Collection}/{Partition}: {RequestCharge} RU", operation, collection, partition ?? "*", charge);
    }
}
