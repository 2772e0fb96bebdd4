using System.Text.Json.Serialization;
using Inventory.Application.Lists;
using Inventory.Domain;

namespace Inventory.Functions.Api.Contracts;

/// <summary>A page of an operator list as the API answers it. The token is opaque (<see cref="PageToken"/>), URL-safe as given.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContinuationToken);

public static class ListResponse
{
    /// <summary>A page of core items, each mapped to its wire type.</summary>
    public static ListResponse<TOut> From<TIn, TOut>(ListPage<TIn> page, Func<TIn, TOut> map) =>
        new(page.Items.Select(map).ToArray(), PageToken.Encode(page.ContinuationToken));
}

public sealed record ProductSummaryResponse(string ProductId, string Sku, string Name, string? CategoryId, bool IsActive, long ReorderPoint,
    long ReorderQuantity, long QuantityOnHand, long QuantityReserved, long QuantityAvailable)
{
    public static ProductSummaryResponse From(ProductSummary s) => new(s.ProductId, s.Sku, s.Name, s.CategoryId, s.IsActive, s.ReorderPoint,
        s.ReorderQuantity, s.QuantityOnHand, s.QuantityReserved, s.QuantityAvailable);
}

public sealed record LocationStockItemResponse(string ProductId, string? Sku, string? Name, long QuantityOnHand, long QuantityReserved, long QuantityAvailable,
    DateTimeOffset? LastCountedAt, DateTimeOffset? LastMovedAt)
{
    public static LocationStockItemResponse From(LocationStockItem i) => new(i.ProductId, i.Sku, i.Name, i.QuantityOnHand, i.QuantityReserved,
        i.QuantityAvailable, i.LastCountedAt, i.LastMovedAt);
}

/// <summary>One order's reservation of a product (a product's reservations list).</summary>
public sealed record ProductReservationItemResponse(string OrderId, string ProductId, ReservationStatus Status, string? StatusReason, ReservationPolicy Policy,
    string? WarehouseId, long Requested, long Reserved, long Shipped, long Released, long Remaining, IReadOnlyList<HeldAllocationResponse> Allocations,
    DateTimeOffset? HoldExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProductReservationItemResponse From(ProductReservationItem i) => new(i.OrderId, i.ProductId, i.Status, i.StatusReason, i.Policy,
        i.WarehouseId, i.Requested, i.Reserved, i.Shipped, i.Released, i.Remaining,
        i.Allocations.Select(a => new HeldAllocationResponse(a.LocationId, a.WarehouseId, a.Quantity, a.Shipped, a.Released) { Remaining = a.Remaining }).ToArray(),
        i.HoldExpiresAt, i.CreatedAt, i.UpdatedAt);
}

/// <summary>Units of a reservation at one location, as the product's partition holds them.</summary>
public sealed record HeldAllocationResponse(string LocationId, string WarehouseId, long Quantity, long Shipped = 0, long Released = 0)
{
    public long Remaining { get; init; }
}
