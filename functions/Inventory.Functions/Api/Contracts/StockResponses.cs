using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Functions.Api.Contracts;

/// <summary>Stock of a product, totals and per location (GET /api/products/{productId}/stock).</summary>
public sealed record StockResponse(string ProductId, string Sku, long QuantityOnHand, long QuantityReserved, long QuantityAvailable,
    long QuantityIncoming, IReadOnlyList<LocationStockResponse> Locations)
{
    public static StockResponse From(StockView v) => new(v.ProductId, v.Sku, v.QuantityOnHand, v.QuantityReserved, v.QuantityAvailable,
        v.QuantityIncoming, v.Locations.Select(LocationStockResponse.From).ToArray());
}

/// <summary>One location's stock; <c>locationType</c> spelled as the specification does (PICK_FACE).</summary>
public sealed record LocationStockResponse(string WarehouseId, string LocationId, string LocationType, long QuantityOnHand, long QuantityReserved,
    long QuantityAvailable, DateTimeOffset? LastCountedAt, DateTimeOffset? LastMovedAt)
{
    public static LocationStockResponse From(LocationStockView v) => new(v.WarehouseId, v.LocationId, EnumSpelling.Name(v.LocationType),
        v.QuantityOnHand, v.QuantityReserved, v.QuantityAvailable, v.LastCountedAt, v.LastMovedAt);
}

/// <summary>A balance of one product at one location, as a movement left it.</summary>
public sealed record BalanceResponse
{
    public required string LocationId { get; init; }
    public required string WarehouseId { get; init; }
    public LocationType LocationType { get; init; }
    public long QuantityOnHand { get; init; }
    public long QuantityReserved { get; init; }
    public long QuantityAvailable { get; init; }
    public DateTimeOffset? LastCountedAt { get; init; }
    public DateTimeOffset? LastMovedAt { get; init; }

    public static BalanceResponse From(StockBalance b) => new()
    {
        LocationId = b.LocationId, WarehouseId = b.WarehouseId, LocationType = b.LocationType, QuantityOnHand = b.QuantityOnHand,
        QuantityReserved = b.QuantityReserved, QuantityAvailable = b.QuantityAvailable, LastCountedAt = b.LastCountedAt, LastMovedAt = b.LastMovedAt,
    };
}

/// <summary>The outcome of an adjustment, transfer or receipt: the balances it left at the locations it touched.</summary>
public sealed record MovementResponse(
    string ProductId, OperationKind Kind, string Reference, bool Replayed, IReadOnlyList<string> TxnIds, IReadOnlyList<BalanceResponse> Balances,
    DateTimeOffset AppliedAt)
{
    public static MovementResponse From(string productId, MovementResult r) =>
        new(productId, r.Operation.Kind, r.Operation.Reference, r.Replayed, r.Operation.TxnIds, r.Operation.BalancesAfter.Select(BalanceResponse.From).ToArray(),
            r.Operation.AppliedAt);
}

/// <summary>One ledger entry (the specification's InventoryTransaction).</summary>
public sealed record LedgerEntryResponse
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
    /// <summary>
    /// The escrow bucket whose ledger holds the entry, for a product in escrow: its sequence and after-quantities are the
    /// bucket's. Absent: the product's own ledger (whose entries alone sum to the product's on hand).
    /// </summary>
    public int? Bucket { get; init; }

    public static LedgerEntryResponse From(LedgerEntry e)
    {
        var bucket = EscrowBucket.Of(e.ProductId);
        return new()
        {
            TxnId = e.TxnId, Sequence = e.Sequence, ProductId = bucket?.ProductId ?? e.ProductId, LocationId = e.LocationId, TxnType = e.TxnType,
            Quantity = e.Quantity, OnHandDelta = e.OnHandDelta, ReservedDelta = e.ReservedDelta, OnHandAfter = e.OnHandAfter, ReservedAfter = e.ReservedAfter,
            ReferenceId = e.ReferenceId, ReferenceType = e.ReferenceType, ReasonCode = e.ReasonCode, PerformedBy = e.PerformedBy, CreatedAt = e.CreatedAt,
            Bucket = bucket?.Index,
        };
    }
}

/// <summary>A page of the ledger, newest first. The token is opaque (<see cref="PageToken"/>) so it travels in a query string as is.</summary>
public sealed record LedgerResponse(string ProductId, IReadOnlyList<LedgerEntryResponse> Entries, string? ContinuationToken)
{
    public static LedgerResponse From(string productId, LedgerPage page) =>
        new(productId, page.Entries.Select(LedgerEntryResponse.From).ToArray(), PageToken.Encode(page.ContinuationToken));
}

/// <summary>
/// An audit's answer (the invariant checker's verdict): findings are violations of the books; shortages (reserved above
/// on-hand after a forced count) are listed apart. <c>checkpointSequence</c>: the checkpoint the live balances were
/// verified from (null: none yet, the whole ledger was read); a full audit (<c>full</c>) is paged: <c>verifiedDownTo</c>
/// is the sequence it reached and <c>continuationToken</c> names the next page; the ledger is consistent when every page is.
/// <c>archivedEntries</c>: how many of <c>ledgerEntries</c> the page read from the ledger archive (entries moved out of the
/// hot store).
/// </summary>
public sealed record AuditResponse(string ProductId, bool Consistent, IReadOnlyList<string> Findings, IReadOnlyList<string> Shortages, long LedgerEntries,
    long? CheckpointSequence, bool Full, long? VerifiedDownTo, string? ContinuationToken, long ArchivedEntries)
{
    public static AuditResponse From(InvariantReport r) => new(r.ProductId, r.Holds, r.Violations, r.Shortages, r.LedgerEntries,
        r.CheckpointSequence, r.Full, r.VerifiedDownTo, PageToken.Encode(r.ContinuationToken), r.ArchivedEntries);
}
