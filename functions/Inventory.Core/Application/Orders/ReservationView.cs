using Inventory.Domain;

namespace Inventory.Application.Orders;

public enum OrderReservationStatus { Pending, Reserved, PartiallyReserved, Fulfilled, Released, Rejected }

public sealed record AllocationView(string LocationId, string WarehouseId, long Quantity, long Shipped, long Released, long Remaining);

public sealed record ReservationLineView(
    string ProductId, long Requested, long Reserved, long Shipped, long Released, long Remaining, long AvailableAtDecision,
    string Status, IReadOnlyList<AllocationView> Allocations);

/// <summary>An order's reservation as callers see it: the header's lines with what each product partition recorded.</summary>
public sealed record ReservationView(
    string OrderId, OrderReservationStatus Status, ReservationPolicy Policy, string? WarehouseId, DateTimeOffset? HoldExpiresAt,
    DateTimeOffset CreatedAt, IReadOnlyList<ReservationLineView> Lines)
{
    /// <summary>On a fulfil or release response only: what that change did to each product.</summary>
    public ChangeView? Change { get; init; }

    public static ReservationView From(OrderRecord order, IReadOnlyDictionary<string, ProductReservation?> byProduct)
    {
        var lines = order.Lines.Select(l => Line(l, byProduct.GetValueOrDefault(l.ProductId))).ToArray();
        return new ReservationView(order.OrderId, StatusOf(order, byProduct), order.Policy, order.WarehouseId, order.HoldExpiresAt,
            order.CreatedAt, lines);
    }

    private static ReservationLineView Line(OrderLine line, ProductReservation? r) => r is null
        ? new(line.ProductId, line.Quantity, 0, 0, 0, 0, 0, "Pending", [])
        : new(line.ProductId, r.Requested, r.Reserved, r.Shipped, r.ReleasedQuantity, r.Remaining, r.AvailableAtDecision,
            r.Status.ToString(), r.Allocations.Select(a => new AllocationView(a.LocationId, a.WarehouseId, a.Quantity, a.Shipped, a.Released, a.Remaining)).ToArray());

    private static OrderReservationStatus StatusOf(OrderRecord order, IReadOnlyDictionary<string, ProductReservation?> byProduct)
    {
        var found = order.Lines.Select(l => byProduct.GetValueOrDefault(l.ProductId)).ToArray();
        if ((order.IsRefused && !ReleasedBeforeItsRefusal(order, byProduct)) || found.Any(IsRejection)) return OrderReservationStatus.Rejected;
        if (found.Any(r => r is null)) return OrderReservationStatus.Pending;
        var all = found.OfType<ProductReservation>().ToArray();
        // An open reservation holding nothing (a PARTIAL line that got none) keeps the order open only while no other line
        // was closed: once the rest is shipped or released, the order reads as that (it stayed PARTIALLY_RESERVED for good).
        var open = all.Where(r => r.Status == ReservationStatus.Active).ToArray();
        if (open.Length > 0 && (open.Length == all.Length || open.Any(r => r.Remaining > 0)))
            return all.All(r => r.Reserved == r.Requested) ? OrderReservationStatus.Reserved : OrderReservationStatus.PartiallyReserved;
        return all.Any(r => r.Shipped > 0) ? OrderReservationStatus.Fulfilled : OrderReservationStatus.Released;
    }

    /// <summary>
    /// A one-product order whose product records it released on request, though its header records a refusal: a cancel
    /// closed it there (<see cref="ProductStock.CloseForRelease"/>) before the refusal's compensation reached the product,
    /// which then found it closed and left it (a compensation that comes first closes it as rejected, and the cancel finds
    /// that). The claimant decided its refusal before the close but recorded it after; the product records the order's end.
    /// </summary>
    internal static bool ReleasedBeforeItsRefusal(OrderRecord order, IReadOnlyDictionary<string, ProductReservation?> byProduct) =>
        order is { State: OrderSagaState.Rejected, Lines.Count: 1 }
        && byProduct.GetValueOrDefault(order.Lines[0].ProductId) is { Status: ReservationStatus.Released, StatusReason: ProductStock.ReleasedReason };

    internal static bool IsRejection(ProductReservation? r) =>
        r is { Status: ReservationStatus.Rejected } || r is { Status: ReservationStatus.Released, StatusReason: "order-rejected" };
}
