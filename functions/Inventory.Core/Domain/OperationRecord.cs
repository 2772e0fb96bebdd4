namespace Inventory.Domain;

public enum OperationKind { Adjust, Transfer, Receive }

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
}
