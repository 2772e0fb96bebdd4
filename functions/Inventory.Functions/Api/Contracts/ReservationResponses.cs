using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Functions.Api.Contracts;

/// <summary>An order's reservation as callers see it; <see cref="Change"/> only on a fulfil or release answer.</summary>
public sealed record ReservationResponse(
    string OrderId, OrderReservationStatus Status, ReservationPolicy Policy, string? WarehouseId, DateTimeOffset? HoldExpiresAt,
    DateTimeOffset CreatedAt, IReadOnlyList<ReservationLineResponse> Lines)
{
    public ChangeResponse? Change { get; init; }

    public static ReservationResponse From(ReservationView v) =>
        new(v.OrderId, v.Status, v.Policy, v.WarehouseId, v.HoldExpiresAt, v.CreatedAt, v.Lines.Select(ReservationLineResponse.From).ToArray())
        {
            Change = v.Change is { } c ? ChangeResponse.From(c) : null,
        };
}

/// <summary>One product of the order; <c>status</c> spelled as the specification does (ACTIVE, PENDING).</summary>
public sealed record ReservationLineResponse(
    string ProductId, long Requested, long Reserved, long Shipped, long Released, long Remaining, long AvailableAtDecision,
    string Status, IReadOnlyList<AllocationResponse> Allocations)
{
    public static ReservationLineResponse From(ReservationLineView v) => new(v.ProductId, v.Requested, v.Reserved, v.Shipped, v.Released,
        v.Remaining, v.AvailableAtDecision, EnumSpelling.Name(v.Status),
        v.Allocations.Select(a => new AllocationResponse(a.LocationId, a.WarehouseId, a.Quantity, a.Shipped, a.Released, a.Remaining)).ToArray());
}

public sealed record AllocationResponse(string LocationId, string WarehouseId, long Quantity, long Shipped, long Released, long Remaining);

/// <summary>What a fulfil or release did: its reference and each product's outcome (applied, nothing-held, refused with its code).</summary>
public sealed record ChangeResponse(ChangeKind Kind, string Reference, IReadOnlyList<ChangeLineResponse> Lines)
{
    public static ChangeResponse From(ChangeView c) =>
        new(c.Kind, c.Reference, c.Lines.Select(l => new ChangeLineResponse(l.ProductId, l.Quantity, l.Outcome, l.Code)).ToArray());
}

public sealed record ChangeLineResponse(string ProductId, long? Quantity, string? Outcome = null, string? Code = null);
