namespace Inventory.Domain;

/// <summary>
/// One of a hot product's escrow buckets (issue 14): a partition of its own, <c>{productId}~{index}</c>, holding units the
/// product granted it, so that instances reserving in different buckets do not race for one commit chain. In the
/// product's partition those units are held by the reservation of the pseudo-order <see cref="Holder"/>: reserved there,
/// available in the bucket, never counted twice. '~' is refused in every id, so neither name can be a real one.
/// </summary>
public sealed record EscrowBucket(string ProductId, int Index)
{
    public const char Separator = '~';
    public string Partition => $"{ProductId}{Separator}{Index}";
    /// <summary>The pseudo-order whose reservation in the product's partition holds what this bucket was granted.</summary>
    public string Holder => $"{Separator}{Index}";

    public static bool IsBucket(string partition) => partition.Contains(Separator, StringComparison.Ordinal);

    /// <summary>The bucket a partition is (<c>{productId}~{index}</c>), or null: a product's own.</summary>
    public static EscrowBucket? Of(string partition) =>
        partition.LastIndexOf(Separator) is var at and > 0 && int.TryParse(partition.AsSpan(at + 1), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var index) ? new EscrowBucket(partition[..at], index) : null;
    public static bool IsHolder(string orderId) => orderId.StartsWith(Separator);
}

/// <summary>Units of one location moved between a product and one of its buckets (a grant, a return, a settled shipment).</summary>
public sealed record EscrowLot(string LocationId, string WarehouseId, LocationType LocationType, long Quantity);

/// <summary>
/// A bucket's request for units: at least <paramref name="Minimum"/> (what the request that asked lacks), as much as
/// <paramref name="Desired"/> if the product has it, from <paramref name="WarehouseId"/>'s locations (null: any).
/// </summary>
public sealed record EscrowGrantRequest(string GrantId, EscrowBucket Bucket, long Minimum, long Desired, string? WarehouseId, string PerformedBy)
{
    /// <summary>
    /// Without <see cref="Desired"/>: it is reckoned from the product's available, which the grant itself changes, so a
    /// grant decided again after its own commit landed would reckon another and must still be recognised as itself.
    /// </summary>
    public string Fingerprint => $"{Bucket.Index}|{Minimum}|{WarehouseId}";
}

public sealed partial class ProductStock
{
    private const string GrantType = "EscrowGrant";
    private const string ReturnType = "EscrowReturn";

    /// <summary>
    /// The product's half of a grant: holds up to the desired quantity of its available units for the bucket (RESERVE
    /// entries, the holder's reservation grows) and records which lots, so the bucket's half admits the same. Nothing
    /// available: nothing recorded, and the returned record has no lots.
    /// </summary>
    public OperationRecord Grant(EscrowGrantRequest request, AllocationOptions options, DateTimeOffset now)
    {
        if (Replayed(OperationKind.Grant, request.GrantId, request.Fingerprint) is { } done) return done;
        if (!Product.IsActive) throw new InvalidStateException($"Product '{ProductId}' is inactive and cannot be reserved.");
        var quantity = Math.Min(AvailableIn(request.WarehouseId), Math.Max(request.Minimum, request.Desired));
        var allocations = Allocator.Allocate(Allocator.Candidates(balances.Values, request.WarehouseId, options), quantity);
        if (allocations.Count == 0) return Unrecorded(OperationKind.Grant, request.GrantId, request.Fingerprint, now);

        var lots = new List<EscrowLot>();
        var entries = new List<LedgerEntry>();
        foreach (var a in allocations)
        {
            var balance = balances[a.LocationId];
            lots.Add(new EscrowLot(a.LocationId, a.WarehouseId, balance.LocationType, a.Quantity));
            entries.Add(Move(balance with { QuantityReserved = balance.QuantityReserved + a.Quantity }, TxnType.Reserve,
                $"GRANT:{request.GrantId}:{a.LocationId}", a.Quantity, request.Bucket.Partition, GrantType, null, request.PerformedBy, now));
        }
        var hold = Reservation(request.Bucket.Holder) ?? new ProductReservation
        {
            OrderId = request.Bucket.Holder, ProductId = ProductId, Requested = 0, Policy = ReservationPolicy.Partial,
            Status = ReservationStatus.Active, CreatedAt = now,
        };
        escrowBuckets.Add(request.Bucket.Index);
        SetReservation(hold with
        {
            Requested = hold.Requested + quantity,
            Allocations = Merged(hold.Allocations, allocations),
            UpdatedAt = now,
        });
        return Record(OperationKind.Grant, request.GrantId, request.Fingerprint, entries, now, lots);
    }

    /// <summary>The bucket's half of a grant: the lots the product holds for it become its own on hand (RECEIVE entries).</summary>
    public OperationRecord Admit(string grantId, IReadOnlyList<EscrowLot> lots, string performedBy, DateTimeOffset now)
    {
        var fingerprint = Fingerprint(lots);
        if (Replayed(OperationKind.Grant, grantId, fingerprint) is { } done) return done;
        var entries = lots.Select(lot =>
        {
            var balance = balances.GetValueOrDefault(lot.LocationId)
                ?? new StockBalance { LocationId = lot.LocationId, WarehouseId = lot.WarehouseId, LocationType = lot.LocationType };
            return Move(balance with { QuantityOnHand = balance.QuantityOnHand + lot.Quantity, LastMovedAt = now }, TxnType.Receive,
                $"GRANT:{grantId}:{lot.LocationId}", lot.Quantity, grantId, GrantType, null, performedBy, now);
        }).ToList();
        return Record(OperationKind.Grant, grantId, fingerprint, entries, now, lots);
    }

    /// <summary>
    /// The bucket's half of a return: up to <paramref name="quantity"/> of its available units (null: all) leave it
    /// (TRANSFER entries out), most available location first. Nothing available: nothing recorded, no lots.
    /// </summary>
    public OperationRecord Surrender(string returnId, long? quantity, string performedBy, DateTimeOffset now)
    {
        var fingerprint = $"{quantity}";
        if (Replayed(OperationKind.Return, returnId, fingerprint) is { } done) return done;
        var left = quantity ?? long.MaxValue;
        var lots = new List<EscrowLot>();
        var entries = new List<LedgerEntry>();
        foreach (var balance in balances.Values.Where(b => b.QuantityAvailable > 0).OrderByDescending(b => b.QuantityAvailable)
                     .ThenBy(b => b.LocationId, StringComparer.Ordinal).ToArray())
        {
            if (left == 0) break;
            var take = Math.Min(left, balance.QuantityAvailable);
            left -= take;
            lots.Add(new EscrowLot(balance.LocationId, balance.WarehouseId, balance.LocationType, take));
            entries.Add(Move(balance with { QuantityOnHand = balance.QuantityOnHand - take, LastMovedAt = now }, TxnType.Transfer,
                $"RETURN:{returnId}:{balance.LocationId}", -take, returnId, ReturnType, null, performedBy, now));
        }
        return entries.Count == 0 ? Unrecorded(OperationKind.Return, returnId, fingerprint, now)
            : Record(OperationKind.Return, returnId, fingerprint, entries, now, lots);
    }

    /// <summary>The product's half of a return: the holder lets go of the lots the bucket gave back (RELEASE entries).</summary>
    public OperationRecord Reclaim(string returnId, EscrowBucket bucket, IReadOnlyList<EscrowLot> lots, string performedBy, DateTimeOffset now)
    {
        var fingerprint = Fingerprint(lots);
        if (Replayed(OperationKind.Return, returnId, fingerprint) is { } done) return done;
        var entries = FromHold(bucket, lots, now, (balance, lot) => Move(balance with { QuantityReserved = balance.QuantityReserved - lot.Quantity },
            TxnType.Release, $"RETURN:{returnId}:{lot.LocationId}", -lot.Quantity, bucket.Partition, ReturnType, null, performedBy, now),
            (a, take) => a with { Released = a.Released + take });
        return Record(OperationKind.Return, returnId, fingerprint, entries, now, lots);
    }

    /// <summary>
    /// The product's half of a shipment made in a bucket: the same units leave its on hand, out of the holder's hold, as
    /// SHIP entries naming the order (what the merchant's ledger shows). Keyed by the order's change.
    /// </summary>
    public OperationRecord SettleShipment(string orderId, string reference, EscrowBucket bucket, IReadOnlyList<EscrowLot> lots,
        string performedBy, DateTimeOffset now)
    {
        var fingerprint = Fingerprint(lots);
        var key = ChangeKey(orderId, reference);
        if (Replayed(OperationKind.Settle, key, fingerprint) is { } done) return done;
        var entries = FromHold(bucket, lots, now, (balance, lot) => Move(balance with
            {
                QuantityOnHand = balance.QuantityOnHand - lot.Quantity,
                QuantityReserved = balance.QuantityReserved - lot.Quantity,
                LastMovedAt = now,
            }, TxnType.Ship, $"SHIP:{orderId}:{reference}:{lot.LocationId}", -lot.Quantity, orderId, "Order", null, performedBy, now),
            (a, take) => a with { Shipped = a.Shipped + take });
        return Record(OperationKind.Settle, key, fingerprint, entries, now, lots);
    }

    /// <summary>Takes each lot out of the holder's allocations at its location (latest first), one ledger entry per lot.</summary>
    private List<LedgerEntry> FromHold(EscrowBucket bucket, IReadOnlyList<EscrowLot> lots, DateTimeOffset now,
        Func<StockBalance, EscrowLot, LedgerEntry> move, Func<Allocation, long, Allocation> take)
    {
        var hold = Reservation(bucket.Holder) ?? throw new StockInvariantException($"Product '{ProductId}' holds nothing for bucket {bucket.Index}.");
        var allocations = hold.Allocations.ToList();
        var entries = new List<LedgerEntry>();
        foreach (var lot in lots)
        {
            var left = lot.Quantity;
            for (var i = allocations.Count - 1; i >= 0 && left > 0; i--)
            {
                if (allocations[i].LocationId != lot.LocationId || allocations[i].Remaining == 0) continue;
                var part = Math.Min(left, allocations[i].Remaining);
                allocations[i] = take(allocations[i], part);
                left -= part;
            }
            if (left > 0)
                throw new StockInvariantException($"Bucket {bucket.Index} of '{ProductId}' gave back {lot.Quantity} at '{lot.LocationId}', more than it holds there.");
            entries.Add(move(balances[lot.LocationId], lot));
        }
        // The holder stays active while empty: the bucket may be granted more (a closed reservation is never reopened).
        SetReservation(hold with { Allocations = allocations.Where(a => a.Remaining > 0).ToArray(), UpdatedAt = now });
        return entries;
    }

    /// <summary>The hold's allocations with the granted ones added to those at the same location: one per location, however many grants.</summary>
    private static Allocation[] Merged(IReadOnlyList<Allocation> held, IReadOnlyList<Allocation> granted)
    {
        var merged = held.ToList();
        foreach (var a in granted)
        {
            var i = merged.FindIndex(m => m.LocationId == a.LocationId);
            if (i < 0) merged.Add(a);
            else merged[i] = merged[i] with { Quantity = merged[i].Quantity + a.Quantity };
        }
        return [.. merged];
    }

    /// <summary>
    /// Fences an escrow move whose instance may have stalled: records <paramref name="reference"/> as abandoned unless its
    /// half here landed, so that half, arriving late, replays this record (no lots) instead of moving units that no one
    /// would then finish moving. Returns what is recorded under the reference. No units move, so no ledger entry.
    /// </summary>
    public OperationRecord Abandon(OperationKind kind, string reference, DateTimeOffset now)
    {
        if (Operation(OperationKey(kind, reference)) is { } existing) return existing;
        var record = Unrecorded(kind, reference, "abandoned", now) with { Abandoned = true };
        AddOperation(record);
        return record;
    }

    /// <summary>
    /// Records that one run of a change (its <paramref name="reference"/> names the run) was refused here, changing nothing
    /// else: a driver of the same run that reads the product after this finds it and reports the refusal instead of
    /// applying (the run is then abandoned, and what it would have applied later has no record on the order). Returns the
    /// refusal recorded first.
    /// </summary>
    public OperationRecord RecordRefusal(string reference, string code, DateTimeOffset now)
    {
        if (Operation(OperationKey(OperationKind.Refusal, reference)) is { } existing) return existing;
        var record = Unrecorded(OperationKind.Refusal, reference, code, now) with { RefusalCode = code };
        AddOperation(record);
        return record;
    }

    private static string Fingerprint(IReadOnlyList<EscrowLot> lots) => string.Join(",", lots.Select(l => $"{l.LocationId}:{l.Quantity}"));

    private static OperationRecord Unrecorded(OperationKind kind, string reference, string fingerprint, DateTimeOffset now) => new()
    {
        Kind = kind, Reference = reference, Fingerprint = fingerprint, TxnIds = [], BalancesAfter = [], AppliedAt = now, Lots = [],
    };
}
