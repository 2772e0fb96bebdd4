namespace Inventory.Domain;

/// <summary>An adjustment: either a signed delta or a counted quantity (a cycle count), never both.</summary>
public sealed record AdjustRequest(
    string AdjustmentId, string LocationId, long? Delta, long? CountedQuantity, string ReasonCode, bool Force, string PerformedBy)
{
    public string Fingerprint => $"{LocationId}|{Delta}|{CountedQuantity}|{ReasonCode}|{Force}";
}

public sealed record TransferRequest(string TransferId, string FromLocationId, string ToLocationId, long Quantity, string PerformedBy)
{
    public string Fingerprint => $"{FromLocationId}|{ToLocationId}|{Quantity}";
}

/// <summary>A receipt into a location. <paramref name="Planned"/>: the location was suggested by put-away, so a redelivery
/// that would plan another location is still the same receipt.</summary>
public sealed record ReceiveRequest(string Reference, string LocationId, long Quantity, string ReferenceType, string PerformedBy, bool Planned = false)
{
    /// <summary>
    /// What the request says. A given location's carries the reference type (which the ledger records), so the same id
    /// with another type is a conflict, not a replay; a planned one is a purchase order's line, whose type never varies.
    /// </summary>
    public string Fingerprint => Planned ? $"planned|{Quantity}" : $"{LocationId}|{Quantity}|{ReferenceType}";

    /// <summary>
    /// The fingerprint receipts were recorded with before 2026-12-02 (no type; ids cannot hold '|', so no fingerprint of
    /// now equals it): such a record is matched without its type, as then. Null for a planned line, unchanged.
    /// </summary>
    public string? FingerprintBefore => Planned ? null : $"{LocationId}|{Quantity}";
}

public sealed partial class ProductStock
{
    /// <summary>
    /// Corrects on-hand at one location. Refuses to go below what is reserved unless forced; never below zero, since no
    /// count can find fewer than zero units. A count with no difference still writes a zero ADJUST entry: the audit of the count.
    /// </summary>
    /// <summary>The adjustment rule: never below zero on hand; a decrease not below what is reserved unless forced.</summary>
    public static bool AdjustRefused(long onHand, long reserved, long delta, bool force) =>
        onHand + delta < 0 || (delta < 0 && onHand + delta < reserved && !force);

    public OperationRecord Adjust(AdjustRequest request, Location location, DateTimeOffset now)
    {
        if (Replayed(OperationKind.Adjust, request.AdjustmentId, request.Fingerprint) is { } done) return done;
        var balance = balances.GetValueOrDefault(location.LocationId) ?? StockBalance.Empty(location);
        var delta = request.CountedQuantity is { } counted ? counted - balance.QuantityOnHand : request.Delta!.Value;
        var after = balance.QuantityOnHand + delta;
        if (AdjustRefused(balance.QuantityOnHand, balance.QuantityReserved, delta, request.Force))
            throw new StockWouldGoNegativeException(ProductId, location.LocationId, after, balance.QuantityReserved);
        var entry = Move(balance with
        {
            LocationType = location.Type,
            QuantityOnHand = after,
            LastMovedAt = delta != 0 ? now : balance.LastMovedAt,
            LastCountedAt = request.CountedQuantity is not null ? now : balance.LastCountedAt,
        }, TxnType.Adjust, $"ADJUST:{request.AdjustmentId}:{location.LocationId}", delta, request.AdjustmentId, "Adjustment",
            request.ReasonCode, request.PerformedBy, now);
        return Record(OperationKind.Adjust, request.AdjustmentId, request.Fingerprint, [entry], now);
    }

    /// <summary>
    /// Moves available (unreserved) stock between two locations: two TRANSFER entries, one transaction. Each end given
    /// (<paramref name="from"/> may be omitted) refreshes its balance's copy of the location's type.
    /// </summary>
    public OperationRecord Transfer(TransferRequest request, Location to, DateTimeOffset now, Location? from = null)
    {
        if (Replayed(OperationKind.Transfer, request.TransferId, request.Fingerprint) is { } done) return done;
        if (request.FromLocationId == request.ToLocationId)
            throw new ValidationException("toLocationId", "must differ from fromLocationId");
        var source = balances.GetValueOrDefault(request.FromLocationId);
        if (source is null || source.QuantityAvailable < request.Quantity) // no balance there: nothing available, as for a caller
            throw InsufficientStockException.ForTransfer(request.TransferId, request.FromLocationId,
                new ShortLine(ProductId, request.Quantity, Math.Max(0, source?.QuantityAvailable ?? 0)));
        var target = balances.GetValueOrDefault(to.LocationId) ?? StockBalance.Empty(to);
        var outEntry = Move(source with
            { LocationType = from?.Type ?? source.LocationType, QuantityOnHand = source.QuantityOnHand - request.Quantity, LastMovedAt = now }, TxnType.Transfer,
            $"TRANSFER:{request.TransferId}:{source.LocationId}", -request.Quantity, request.TransferId, "Transfer", null, request.PerformedBy, now);
        var inEntry = Move(target with { LocationType = to.Type, QuantityOnHand = target.QuantityOnHand + request.Quantity, LastMovedAt = now }, TxnType.Transfer,
            $"TRANSFER:{request.TransferId}:{to.LocationId}", request.Quantity, request.TransferId, "Transfer", null, request.PerformedBy, now);
        return Record(OperationKind.Transfer, request.TransferId, request.Fingerprint, [outEntry, inEntry], now);
    }

    /// <summary>Receives units into a location (the specification's receive upsert): creates the balance if it is the first.</summary>
    public OperationRecord Receive(ReceiveRequest request, Location location, DateTimeOffset now)
    {
        if (Replayed(OperationKind.Receive, request.Reference, request.Fingerprint, request.FingerprintBefore) is { } done) return done;
        var balance = balances.GetValueOrDefault(location.LocationId) ?? StockBalance.Empty(location);
        var entry = Move(balance with { LocationType = location.Type, QuantityOnHand = balance.QuantityOnHand + request.Quantity, LastMovedAt = now }, TxnType.Receive,
            $"RECEIVE:{request.Reference}:{location.LocationId}", request.Quantity, request.Reference, request.ReferenceType, null,
            request.PerformedBy, now);
        return Record(OperationKind.Receive, request.Reference, request.Fingerprint, [entry], now);
    }

    /// <summary>
    /// Follows a location's new type (<c>SaveLocation</c>): no quantity changes, so no ledger entry. False when the
    /// product holds no balance there or it already has that type (nothing to commit).
    /// </summary>
    /// <paramref name="now"/>: when the retype is made, which dates its mark (<see cref="CommitEntries"/>).
    public bool Retype(string locationId, LocationType type, DateTimeOffset? now = null)
    {
        if (balances.GetValueOrDefault(locationId) is not { } balance || balance.LocationType == type) return false;
        balances[locationId] = balance with { LocationType = type };
        changedBalances.Add(locationId);
        Changed(locationId, "location", now);
        return true;
    }

    /// <param name="fingerprintBefore">The request's fingerprint as records of an earlier build hold it, where it changed since.</param>
    private OperationRecord? Replayed(OperationKind kind, string reference, string fingerprint, string? fingerprintBefore = null)
    {
        var existing = Operation(OperationKey(kind, reference));
        if (existing is null) return null;
        return existing.Fingerprint == fingerprint || (fingerprintBefore is not null && existing.Fingerprint == fingerprintBefore) || existing.Abandoned == true
            ? existing : throw new ReferenceConflictException(reference);
    }

    private OperationRecord Record(OperationKind kind, string reference, string fingerprint, IReadOnlyList<LedgerEntry> entries, DateTimeOffset now,
        IReadOnlyList<EscrowLot>? lots = null)
    {
        var record = new OperationRecord
        {
            Kind = kind,
            Reference = reference,
            Fingerprint = fingerprint,
            TxnIds = entries.Select(e => e.TxnId).ToArray(),
            BalancesAfter = entries.Select(e => balances[e.LocationId]).ToArray(),
            AppliedAt = now,
            Lots = lots,
        };
        AddOperation(record);
        return record;
    }
}
