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
        // The product's partition (-1), then each escrow bucket's by index, marked ones too (a refusal is recorded in a bucket
        // no grant reached yet): the holders of the buckets' units are not orders. Tokens name the bucket, not its place in
        // this list, which a bucket made between pages shifts.
        var (listed, withRecords) = await products.BucketListsAsync(productId, ct);
        int[] partitions = [PartitionCursor.Product, .. withRecords];
        int[] before = [PartitionCursor.Product, .. listed]; // the list a p1 token counted places in
        string PartitionOf(int index) => index == PartitionCursor.Product ? productId : new EscrowBucket(productId, index).Partition;
        return await ListScan.PagesAsync<ProductReservation, ProductReservationItem>(async (size, t) =>
        {
            var (at, inner) = PartitionCursor.Parse(t, partitions, before);
            var (page, next) = await products.ReservationPageAsync(PartitionOf(partitions[at]), status, size, inner, ct);
            return (page, next is not null ? PartitionCursor.Format(partitions[at], next)
                : at + 1 < partitions.Length ? PartitionCursor.Format(partitions[at + 1], null) : null);
        }, pageSize, token, (r, _) =>
        {
            return Task.FromResult((status is { } s && r.Status != s) || EscrowBucket.IsHolder(r.OrderId) ? null : new ProductReservationItem(r.OrderId,
                productId, r.Status, r.StatusReason, r.Policy, r.WarehouseId, r.Requested, r.Reserved, r.Shipped, r.ReleasedQuantity, r.Remaining, r.Allocations,
                r.HoldExpiresAt, r.CreatedAt, r.UpdatedAt));
        }, ct);
    }
}

/// <summary>
/// Which partition of a product's list a token continues (<see cref="Product"/>, or a bucket's index) and the token within
/// it. Opaque. Tokens issued before named the partition by its place in the list (<c>p1</c>), still read.
/// </summary>
internal static class PartitionCursor
{
    public const int Product = -1;

    public static string Format(int partition, string? inner) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($"p2|{partition.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{inner}"));

    /// <summary>
    /// The place in <paramref name="partitions"/> (the product, then bucket indexes in order) the token goes on at; a
    /// <c>p1</c> token's place is in <paramref name="listedBefore"/> (the product and the buckets its head lists).
    /// </summary>
    public static (int At, string? Inner) Parse(string? token, IReadOnlyList<int> partitions, IReadOnlyList<int> listedBefore)
    {
        if (token is null) return (0, null);
        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token)).Split('|', 3);
            if (parts is [var version, var number, var inner] && int.TryParse(number, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                var at = version switch
                {
                    "p1" when n >= 0 && n < listedBefore.Count => IndexOf(partitions, listedBefore[n]),
                    "p2" => IndexOf(partitions, n),
                    _ => -1,
                };
                if (at >= 0) return (at, inner.Length == 0 ? null : inner);
            }
        }
        catch (FormatException) { }
        throw new InvalidContinuationTokenException();
    }

    private static int IndexOf(IReadOnlyList<int> partitions, int partition)
    {
        for (var i = 0; i < partitions.Count; i++) if (partitions[i] == partition) return i;
        return -1; // a bucket never listed: not a token this list issued
    }
}
