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
        // The product's partition, then each escrow bucket's: the holders of the buckets' units are not orders.
        var partitions = new[] { productId }.Concat((await products.BucketsAsync(productId, ct)).Select(b => new EscrowBucket(productId, b).Partition)).ToArray();
        return await ListScan.PagesAsync<ProductReservation, ProductReservationItem>(async (size, t) =>
        {
            var (at, inner) = PartitionCursor.Parse(t, partitions.Length);
            var (page, next) = await products.ReservationPageAsync(partitions[at], status, size, inner, ct);
            return (page, next is not null ? PartitionCursor.Format(at, next) : at + 1 < partitions.Length ? PartitionCursor.Format(at + 1, null) : null);
        }, pageSize, token, (r, _) =>
        {
            return Task.FromResult((status is { } s && r.Status != s) || EscrowBucket.IsHolder(r.OrderId) ? null : new ProductReservationItem(r.OrderId,
                productId, r.Status, r.StatusReason, r.Policy, r.WarehouseId, r.Requested, r.Reserved, r.Shipped, r.ReleasedQuantity, r.Remaining, r.Allocations,
                r.HoldExpiresAt, r.CreatedAt, r.UpdatedAt));
        }, ct);
    }
}

/// <summary>Which partition of a product's list a token continues (0: the product's, then its buckets), and the token within it. Opaque.</summary>
internal static class PartitionCursor
{
    public static string Format(int partition, string? inner) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($"p1|{partition}|{inner}"));

    public static (int Partition, string? Inner) Parse(string? token, int partitions)
    {
        if (token is null) return (0, null);
        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token)).Split('|', 3);
            if (parts is ["p1", var at, var inner] && int.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, out var i) && i >= 0 && i < partitions)
                return (i, inner.Length == 0 ? null : inner);
        }
        catch (FormatException) { }
        throw new InvalidContinuationTokenException();
    }
}
