namespace Inventory.Domain;

public sealed record ReserveRequest(
    string OrderId, long Quantity, string? WarehouseId, ReservationPolicy Policy, DateTimeOffset? HoldExpiresAt, string PerformedBy);

/// <summary>Why stock held by a reservation is given back.</summary>
public enum ReleaseReason { Requested, HoldExpired, OrderRejected }

public sealed partial class ProductStock
{
    public long AvailableIn(string? warehouseId) =>
        balances.Values.Where(b => warehouseId is null || b.WarehouseId == warehouseId).Sum(b => Math.Max(0, b.QuantityAvailable));

    /// <summary>
    /// Reserves one order's quantity of this product. A reservation already recorded for the order is returned unchanged
    /// (the caller checks it matches the request). Under all-or-nothing a shortfall records a Rejected reservation and
    /// moves nothing; under partial it reserves what there is.
    /// </summary>
    public ProductReservation Reserve(ReserveRequest request, AllocationOptions options, DateTimeOffset now)
    {
        if (Reservation(request.OrderId) is { } existing) return existing;
        if (!Product.IsActive) throw new InvalidStateException($"Product '{ProductId}' is inactive and cannot be reserved.");

        var available = AvailableIn(request.WarehouseId);
        var reservation = new ProductReservation
        {
            OrderId = request.OrderId,
            ProductId = ProductId,
            Requested = request.Quantity,
            AvailableAtDecision = available,
            Policy = request.Policy,
            WarehouseId = request.WarehouseId,
            HoldExpiresAt = request.HoldExpiresAt,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (available < request.Quantity && request.Policy == ReservationPolicy.AllOrNothing)
        {
            SetReservation(reservation with { Status = ReservationStatus.Rejected, StatusReason = "insufficient-stock" });
            return reservations[request.OrderId]!;
        }

        var allocations = Allocator.Allocate(Allocator.Candidates(balances.Values, request.WarehouseId, options), request.Quantity);
        foreach (var a in allocations)
        {
            var balance = balances[a.LocationId];
            Move(balance with { QuantityReserved = balance.QuantityReserved + a.Quantity }, TxnType.Reserve,
                $"RESERVE:{request.OrderId}:{a.LocationId}", a.Quantity, request.OrderId, "Order", null, request.PerformedBy, now);
        }
        SetReservation(reservation with { Status = ReservationStatus.Active, Allocations = allocations });
        return reservations[request.OrderId]!;
    }

    /// <summary>
    /// Records that a refused order holds nothing here, where it has no reservation yet: a rolled-back reservation of
    /// nothing (Released, order-rejected). A driver of the same order that read the product before this and reserves after
    /// it then loses its commit (the head is replaced) and finds this record instead: nothing is reserved for a rejected
    /// order once its compensation has passed. Returns the reservation the order has here.
    /// </summary>
    public ProductReservation CloseForRejectedOrder(ReserveRequest request, DateTimeOffset now) => CloseUnreserved(request, ReleaseReason.OrderRejected, now);

    /// <summary>
    /// Records that an order whose hold fell due holds nothing here, where it has no reservation yet (its claimant or a retry
    /// not landed): a released reservation of nothing (hold-expired), the sweep's fence. A request of the order that
    /// reserves after it loses its commit on the head and finds this record, answered as the order stands: expired.
    /// </summary>
    public ProductReservation CloseForExpiredHold(ReserveRequest request, DateTimeOffset now) => CloseUnreserved(request, ReleaseReason.HoldExpired, now);

    /// <summary>
    /// Records that an order released whole (cancelled) holds nothing here, where it has no reservation yet (its claimant
    /// stalled past its exclusive time, or died): a released reservation of nothing (requested), the release's fence. A
    /// request of the order that reserves after it loses its commit on the head and finds this record: released.
    /// </summary>
    public ProductReservation CloseForRelease(ReserveRequest request, DateTimeOffset now) => CloseUnreserved(request, ReleaseReason.Requested, now);

    private ProductReservation CloseUnreserved(ReserveRequest request, ReleaseReason reason, DateTimeOffset now)
    {
        if (Reservation(request.OrderId) is { } existing) return existing;
        SetReservation(new ProductReservation
        {
            OrderId = request.OrderId,
            ProductId = ProductId,
            Requested = request.Quantity,
            Policy = request.Policy,
            WarehouseId = request.WarehouseId,
            HoldExpiresAt = request.HoldExpiresAt,
            Status = ReservationStatus.Released,
            StatusReason = ReasonCode(reason),
            CreatedAt = now,
            UpdatedAt = now,
        });
        return reservations[request.OrderId]!;
    }

    /// <summary>Gives back reserved stock, latest allocation first. Null quantity releases everything still held.</summary>
    public ProductReservation Release(string orderId, string reference, string fingerprint, long? quantity,
        ReleaseReason reason, string performedBy, DateTimeOffset now)
    {
        var reservation = Reservation(orderId) ?? throw new ReservationNotFoundException(orderId);
        if (AlreadyApplied(reservation, reference, fingerprint)) return reservation;
        if (reservation.Status != ReservationStatus.Active)
        {
            if (quantity is null) return reservation; // nothing held: releasing everything is already true
            throw new InvalidStateException($"Reservation of '{PublicId}' for order '{orderId}' is {reservation.Status}; nothing to release.");
        }
        var toRelease = quantity ?? reservation.Remaining;
        if (toRelease > reservation.Remaining)
            throw new ValidationException("quantity", $"cannot release {toRelease} of '{PublicId}': only {reservation.Remaining} is held");

        var left = toRelease;
        var allocations = reservation.Allocations.ToList();
        for (var i = allocations.Count - 1; i >= 0 && left > 0; i--)
        {
            var a = allocations[i];
            var take = Math.Min(left, a.Remaining);
            if (take == 0) continue;
            var balance = balances[a.LocationId];
            Move(balance with { QuantityReserved = balance.QuantityReserved - take }, TxnType.Release,
                $"RELEASE:{orderId}:{reference}:{a.LocationId}", -take, orderId, "Order", ReasonCode(reason), performedBy, now);
            allocations[i] = a with { Released = a.Released + take };
            left -= take;
        }
        var updated = Settle(reservation with { Allocations = allocations, UpdatedAt = now }, reference, fingerprint, toRelease, now);
        if (updated.Status == ReservationStatus.Released) updated = updated with { StatusReason = ReasonCode(reason) };
        SetReservation(updated);
        return updated;
    }

    /// <summary>Ships reserved stock: lowers on-hand and reserved at the allocated locations. Never ships beyond what is held.</summary>
    public ProductReservation Fulfill(string orderId, string reference, string fingerprint, long? quantity, string performedBy, DateTimeOffset now)
    {
        var reservation = Reservation(orderId) ?? throw new ReservationNotFoundException(orderId);
        if (AlreadyApplied(reservation, reference, fingerprint)) return reservation;
        if (reservation.Status != ReservationStatus.Active)
        {
            if (quantity is null && reservation.Status == ReservationStatus.Fulfilled) return reservation;
            throw new InvalidStateException($"Reservation of '{PublicId}' for order '{orderId}' is {reservation.Status}; nothing to fulfil.");
        }
        var toShip = quantity ?? reservation.Remaining;
        if (toShip > reservation.Remaining)
            throw new ValidationException("quantity", $"cannot ship {toShip} of '{PublicId}': only {reservation.Remaining} is reserved");

        // A forced count may have left fewer units on hand than are reserved: refuse before anything moves.
        var missing = ShipPlan(reservation.Allocations, toShip).Sum(t => Math.Max(0, t.Take - Math.Max(0, balances[t.LocationId].QuantityOnHand)));
        if (missing > 0) throw new InsufficientStockException(orderId, [new ShortLine(PublicId, toShip, toShip - missing)]);

        var left = toShip;
        var allocations = reservation.Allocations.ToList();
        var lots = new List<EscrowLot>();
        for (var i = 0; i < allocations.Count && left > 0; i++)
        {
            var a = allocations[i];
            var take = Math.Min(left, a.Remaining);
            if (take == 0) continue;
            var balance = balances[a.LocationId];
            lots.Add(new EscrowLot(a.LocationId, balance.WarehouseId, balance.LocationType, take));
            Move(balance with
            {
                QuantityOnHand = balance.QuantityOnHand - take,
                QuantityReserved = balance.QuantityReserved - take,
                LastMovedAt = now,
            }, TxnType.Ship, $"SHIP:{orderId}:{reference}:{a.LocationId}", -take, orderId, "Order", null, performedBy, now);
            allocations[i] = a with { Shipped = a.Shipped + take };
            left -= take;
        }
        // In an escrow bucket the product ships the same units after (its settlement): the change says where they left from.
        var updated = Settle(reservation with { Allocations = allocations, UpdatedAt = now }, reference, fingerprint, toShip, now,
            EscrowBucket.IsBucket(ProductId) ? lots : null);
        SetReservation(updated);
        return updated;
    }

    /// <summary>Where a shipment of <paramref name="quantity"/> takes its units: allocations in order, as <see cref="Fulfill"/> does.</summary>
    private static IEnumerable<(string LocationId, long Take)> ShipPlan(IReadOnlyList<Allocation> allocations, long quantity)
    {
        var left = quantity;
        foreach (var a in allocations)
        {
            if (left == 0) yield break;
            var take = Math.Min(left, a.Remaining);
            if (take == 0) continue;
            left -= take;
            yield return (a.LocationId, take);
        }
    }

    private bool AlreadyApplied(ProductReservation reservation, string reference, string fingerprint)
    {
        var recorded = Change(ChangeKey(reservation.OrderId, reference))?.Fingerprint
            ?? reservation.Applied?.FirstOrDefault(a => a.Reference == reference)?.Fingerprint;
        if (recorded is null) return false;
        return recorded == fingerprint ? true : throw new ReferenceConflictException(reference);
    }

    private ProductReservation Settle(ProductReservation r, string reference, string fingerprint, long quantity, DateTimeOffset now,
        IReadOnlyList<EscrowLot>? lots = null)
    {
        var status = r.Remaining > 0 ? ReservationStatus.Active
            : r.Shipped > 0 ? ReservationStatus.Fulfilled : ReservationStatus.Released;
        AddChange(new AppliedChange(r.OrderId, reference, fingerprint, quantity, now, lots));
        return r with { Status = status };
    }

    /// <summary>Why a reservation was rolled back: another product of its order refused it.</summary>
    public const string OrderRejectedReason = "order-rejected";

    /// <summary>Why a reservation was closed on request (a release, a cancel's close).</summary>
    public const string ReleasedReason = "released";

    private static string ReasonCode(ReleaseReason reason) => reason switch
    {
        ReleaseReason.HoldExpired => "hold-expired",
        ReleaseReason.OrderRejected => OrderRejectedReason,
        _ => ReleasedReason,
    };
}
