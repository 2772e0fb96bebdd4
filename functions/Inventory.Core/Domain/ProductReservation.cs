namespace Inventory.Domain;

public enum ReservationPolicy { AllOrNothing, Partial }

public enum ReservationStatus
{
    /// <summary>Holds stock (possibly partly shipped).</summary>
    Active,
    /// <summary>Everything reserved has shipped.</summary>
    Fulfilled,
    /// <summary>Released by the caller, by hold expiry, or rolled back because another line of the order failed.</summary>
    Released,
    /// <summary>Not enough stock under all-or-nothing: nothing was reserved, and replays get the same answer.</summary>
    Rejected,
}

public sealed record Allocation(string LocationId, string WarehouseId, long Quantity, long Shipped = 0, long Released = 0)
{
    public long Remaining => Quantity - Shipped - Released;
}

/// <summary>A reference applied to a reservation before change records existed: read, never written (see <see cref="AppliedChange"/>).</summary>
public sealed record AppliedOperation(string Reference, string Fingerprint, long Quantity);

/// <summary>
/// A fulfilment or release applied to one order's reservation of one product, in its own document of the product's
/// partition, created in the same commit as its ledger entries: a replay finds it, and the reservation never grows with
/// the number of changes applied to it.
/// </summary>
/// <remarks><paramref name="Lots"/>: a shipment in an escrow bucket, where each unit left from (what the product's settlement ships).</remarks>
public sealed record AppliedChange(string OrderId, string Reference, string Fingerprint, long Quantity, DateTimeOffset AppliedAt,
    IReadOnlyList<EscrowLot>? Lots = null);

/// <summary>
/// One order's reservation of one product, kept in the product's partition so it commits atomically with the balances
/// it changes. Its existence is what makes a replayed reservation a no-op.
/// </summary>
public sealed record ProductReservation
{
    public required string OrderId { get; init; }
    public required string ProductId { get; init; }
    public required long Requested { get; init; }
    /// <summary>Available (in the order's warehouse scope) when the decision was made; reported on rejection.</summary>
    public long AvailableAtDecision { get; init; }
    public required ReservationPolicy Policy { get; init; }
    public string? WarehouseId { get; init; }
    public ReservationStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public IReadOnlyList<Allocation> Allocations { get; init; } = [];
    /// <summary>Only in reservations written before <see cref="AppliedChange"/> records: still honoured, never appended to.</summary>
    public IReadOnlyList<AppliedOperation>? Applied { get; init; }
    public DateTimeOffset? HoldExpiresAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public long Reserved => Allocations.Sum(a => a.Quantity);
    public long Shipped => Allocations.Sum(a => a.Shipped);
    public long ReleasedQuantity => Allocations.Sum(a => a.Released);
    public long Remaining => Allocations.Sum(a => a.Remaining);
}
