namespace Inventory.Application.Orders;

public enum ChangeKind { Fulfil, Release }

/// <summary>
/// One product of a change: the exact quantity to ship or release (0: it held nothing when planned; null, in a change of
/// one product only: all it holds when the step runs), then what the step did: <c>applied</c>, <c>nothing-held</c>, or
/// <c>refused</c> with the refusal's code.
/// </summary>
public sealed record ChangeLine(string ProductId, long? Quantity, string? Outcome = null, string? Code = null)
{
    public const string Applied = "applied";
    public const string NothingHeld = "nothing-held";
    public const string Refused = "refused";
}

/// <summary>
/// A fulfilment or release of an order, recorded in the order's partition before any product is touched: the reference
/// bound to the whole request (its fingerprint), and the exact quantity per product. Pending until <see cref="CompletedAt"/>
/// is set; a retry, a replay or recovery finishes a pending one from here, never from the caller's request.
/// </summary>
public sealed record ChangeIntent
{
    public required string OrderId { get; init; }
    public required ChangeKind Kind { get; init; }
    /// <summary>The caller's reference, or one derived from the request (<see cref="Derived"/>).</summary>
    public required string Reference { get; init; }
    public bool Derived { get; init; }
    /// <summary>A hash of the whole request: its lines merged per product and sorted (or "all" for every line of the order).</summary>
    public required string Fingerprint { get; init; }
    /// <summary>Sorted by product; each line's outcome is set when the intent is done.</summary>
    public required IReadOnlyList<ChangeLine> Lines { get; init; }
    public required string PerformedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>
    /// Names this run of the change (random, set when planned; null on intents recorded before 2026-12-01): a step refused
    /// in a product records the refusal under it, so another driver of the same run cannot apply that step after it, while
    /// a later run under the same reference (the first one refused and abandoned) decides afresh.
    /// </summary>
    public string? Run { get; init; }

    public bool IsDone => CompletedAt is not null;

    /// <summary>The intent's key, also the reference its steps record in each product's partition.</summary>
    public string Key => KeyOf(Kind, Derived, Reference);

    /// <summary>Namespaced by kind and source, so a caller's reference never equals a derived or a system one ('|' is not allowed in references).</summary>
    public static string KeyOf(ChangeKind kind, bool derived, string reference) =>
        $"{(kind == ChangeKind.Fulfil ? "ship" : "release")}|{(derived ? "auto" : "given")}|{reference}";

    /// <summary>Where a step's refusal of this run is recorded in a product (<see cref="ProductStock.RecordRefusal"/>); null for an intent without a run.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? RefusalReference => Run is null ? null : $"{OrderId}|{Key}|{Run}";

    /// <summary>Step references of the service's own releases (no intent: releasing everything held is idempotent by itself).</summary>
    public const string HoldExpiry = "release|sys|hold-expired";
    public const string Rollback = "release|sys|rollback";
}

/// <summary>A change as the caller sees it in the response: its reference and each product's outcome.</summary>
public sealed record ChangeView(ChangeKind Kind, string Reference, IReadOnlyList<ChangeLine> Lines);
