using Inventory.Domain;

namespace Inventory.Application.Counts;

/// <summary>
/// One counted row as read from a file or a body. <paramref name="Line"/> is what the caller reports (the CSV line, or
/// the row's position); <paramref name="ReadError"/> a problem found while reading it (a quantity that is not a number).
/// </summary>
public sealed record CountRow(int Line, string? LocationId, string? ProductId, string? Sku, long? CountedQuantity, string? ReasonCode,
    FieldError? ReadError = null);

public sealed record CountCommand(string CountId, IReadOnlyList<CountRow> Rows, string PerformedBy = "api");

public enum CountRowStatus { Applied, Replayed, Failed }

/// <summary>What became of one row: the balance it left, or why it was refused (a problem code and words).</summary>
public sealed record CountRowOutcome(int Line, CountRowStatus Status, string? LocationId, string? ProductId, string? Sku, long? CountedQuantity,
    string? AdjustmentId, long? QuantityOnHand, string? Code, string? Error);

/// <summary>A count applied within its request: every row's outcome.</summary>
public sealed record CountResult(string CountId, int Rows, int Applied, int Replayed, int Failed, IReadOnlyList<CountRowOutcome> Results,
    string? Warning = null)
{
    /// <summary>Always <see cref="CountState.Completed"/>: the same field a recorded count's status carries.</summary>
    public CountState Status { get; init; } = CountState.Completed;
}

/// <summary>Where a recorded (large) count stands. <c>Receiving</c>: its rows are still being written; it is not accepted yet.</summary>
public enum CountState { Receiving, Pending, Running, Completed }
