namespace Inventory.Domain;

/// <summary>
/// What an operation record records. <see cref="Grant"/>, <see cref="Return"/> and <see cref="Settle"/> are the two halves
/// of the moves between a product and its escrow buckets (<see cref="EscrowBucket"/>), one in each partition.
/// <see cref="Refusal"/>: a step of a recorded fulfilment or release refused in this product (<see cref="ProductStock.RecordRefusal"/>).
/// </summary>
public enum OperationKind { Adjust, Transfer, Receive, Grant, Return, Settle, Refusal }

/// <summary>
/// The recorded outcome of an adjustment, transfer or receipt, keyed by its reference and created in the same transaction
/// as its ledger entries (must-not-exist): a replay finds it and returns it instead of applying the change again.
/// </summary>
public sealed record OperationRecord
{
    public required OperationKind Kind { get; init; }
    public required string Reference { get; init; }
    public required string Fingerprint { get; init; }
    public required IReadOnlyList<string> TxnIds { get; init; }
    public required IReadOnlyList<StockBalance> BalancesAfter { get; init; }
    public required DateTimeOffset AppliedAt { get; init; }
    /// <summary>An escrow move's units, location by location: what the other partition's half applies.</summary>
    public IReadOnlyList<EscrowLot>? Lots { get; init; }
    /// <summary>
    /// A move's fence, written by recovery where its first half would be when none had landed: that half, late, finds
    /// this record instead of applying (<see cref="ProductStock.Abandon"/>). Nothing moved.
    /// </summary>
    public bool? Abandoned { get; init; } // null, not false, on every other record: stored only where true
    /// <summary>The code of a change step's refusal (<see cref="OperationKind.Refusal"/>); null on every other record.</summary>
    public string? RefusalCode { get; init; }
}
