using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Lists;

/// <summary>One order's reservation of a product, as an operator reads it.</summary>
public sealed record ProductReservationItem(string OrderId, string ProductId, ReservationStatus Status, string? StatusReason, ReservationPolicy Policy,
    string? WarehouseId, long Requested, long Reserved, long Shipped, long Released, long Remaining, IReadOnlyList<Allocation> Allocations,
    DateTimeOffset? HoldExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// A product's reservations (one partition: no cross-partition query), optionally of one status: active ones first,
/// then closed ones, each in order id order (<see cref="ProductPartitions.ReservationPageAsync"/>).
/// </summary>
public sealed class ProductReservations(IDocumentStore store)
{
    public async Task<ListPage<ProductReservationItem>> ListAsync(string productId, ReservationStatus? status, int pageSize = ListScan.DefaultPageSize,
        string? token = null, CancellationToken ct = default)
    {
        var guard = new Guard().Id("productId", productId);
        ListScan.CheckPageSize(guard, pageSize);
        guard.ThrowIfAny();
        var products = new ProductPartitions(store);
        if (!await products.ExistsAsync(productId, ct))
            throw new ProductNotFoundException(productId);
        return await ListScan.PagesAsync<ProductReservation, ProductReservationItem>(
            async (size, t) => await products.ReservationPageAsync(productId, status, size, t, ct), pageSize, token, (r, _) =>
        {
            return Task.FromResult(status is { } s && r.Status != s ? null : new ProductReservationItem(r.OrderId, r.ProductId, r.Status, r.StatusReason,
                r.Policy, r.WarehouseId, r.Requested, r.Reserved, r.Shipped, r.ReleasedQuantity, r.Remaining, r.Allocations, r.HoldExpiresAt, r.CreatedAt,
                r.UpdatedAt));
        }, ct);
    }
}
