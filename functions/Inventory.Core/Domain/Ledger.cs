namespace Inventory.Domain;

/// <summary>
/// <see cref="Mark"/> moves nothing: it records a commit that changed a reservation without moving stock (a rejection, a
/// close, a fence), so that every commit of a product takes a sequence (<see cref="ProductStock.CommitEntries"/>). The
/// audits read it like any entry; the ledger route leaves it out.
/// </summary>
public enum TxnType { Receive, Ship, Adjust, Transfer, Reserve, Release, Mark }

/// <summary>
/// One line of a product's ledger (the specification's InventoryTransaction). Quantity is signed, positive in,
/// negative out: for RECEIVE, SHIP, ADJUST and TRANSFER it is the change of on-hand; for RESERVE and RELEASE the
/// change of reserved. OnHandDelta and ReservedDelta spell out both effects so the invariant checker can sum them.
/// TxnId derives from the operation's reference and the location, so a replay produces the same ids.
/// </summary>
public sealed record LedgerEntry
{
    public required string TxnId { get; init; }
    public required long Sequence { get; init; }
    public required string ProductId { get; init; }
    public required string LocationId { get; init; }
    public required TxnType TxnType { get; init; }
    public required long Quantity { get; init; }
    public long OnHandDelta { get; init; }
    public long ReservedDelta { get; init; }
    public long OnHandAfter { get; init; }
    public long ReservedAfter { get; init; }
    public required string ReferenceId { get; init; }
    public required string ReferenceType { get; init; }
    public string? ReasonCode { get; init; }
    public required string PerformedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
