using System.Diagnostics.Metrics;

namespace Inventory.Application;

/// <summary>
/// The service's own metrics, on the meter <c>Inventory</c> (the Functions app exports it to Application Insights): what
/// operators watch to size and tune it. The store's per-call RU is on the Cosmos store's own meter.
/// </summary>
public static class InventoryMetrics
{
    public const string MeterName = "Inventory";
    public const string Reservations = "inventory.reservations";
    public const string Conflicts = "inventory.commit.conflicts";
    public const string BatchSize = "inventory.commit.batch_size";
    public const string Quarantined = "inventory.messages.quarantined";
    public const string OperationRequestCharge = "inventory.operation.request_charge";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> ReservationCount =
        Meter.CreateCounter<long>(Reservations, "{order}", "Reservation requests by outcome (tag outcome: the reservation's status, rejected, or replayed).");
    private static readonly Counter<long> ConflictCount =
        Meter.CreateCounter<long>(Conflicts, "{conflict}", "Commits lost to another writer (reloaded and decided again).");
    private static readonly Histogram<int> BatchSizes =
        Meter.CreateHistogram<int>(BatchSize, "{request}", "Requests carried by one product commit: above 1 when concurrent requests were coalesced.");
    private static readonly Counter<long> QuarantineCount =
        Meter.CreateCounter<long>(Quarantined, "{message}", "Messages kept as poison (tags queue, reason).");
    private static readonly Histogram<double> OperationCharges =
        Meter.CreateHistogram<double>(OperationRequestCharge, "RU", "Store cost of one logical operation (tag operation), shared calls split among the requests they served.");

    internal static void Reservation(string outcome) => ReservationCount.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal static void Conflict() => ConflictCount.Add(1);

    internal static void Commit(int requests) => BatchSizes.Record(requests);

    internal static void Quarantine(string queue, string reason) =>
        QuarantineCount.Add(1, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("reason", reason));

    internal static void OperationCharge(string operation, double units) =>
        OperationCharges.Record(units, new KeyValuePair<string, object?>("operation", operation));
}
