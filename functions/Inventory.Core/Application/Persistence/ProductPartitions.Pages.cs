using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>The product partition module's paged queries: ledger, checkpoints, reservations, balances at a location, product ids.</summary>
public sealed partial class ProductPartitions
{
    /// <summary>A page of the ledger, newest first. A token the store did not issue is an <see cref="InvalidContinuationTokenException"/>.</summary>
    public async Task<(IReadOnlyList<LedgerEntry> Entries, string? ContinuationToken)> LedgerPageAsync(string productId, int pageSize, string? token,
        CancellationToken ct)
    {
        var page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.LedgerPrefix, pageSize, token, ct);
        return (page.Documents.Select(d => DocumentJson.Read<LedgerEntry>(d.Body)).ToArray(), page.ContinuationToken);
    }

    /// <summary>A page of the ledger checkpoints, newest first.</summary>
    public async Task<(IReadOnlyList<LedgerCheckpoint> Checkpoints, string? ContinuationToken)> CheckpointPageAsync(string productId, int pageSize,
        string? token, CancellationToken ct)
    {
        var page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.CheckpointPrefix, pageSize, token, ct);
        return (page.Documents.Select(d => DocumentJson.Read<LedgerCheckpoint>(d.Body)).ToArray(), page.ContinuationToken);
    }

    /// <summary>The checkpoint taken at <paramref name="sequence"/>, or null.</summary>
    public async Task<LedgerCheckpoint?> CheckpointAsync(string productId, long sequence, CancellationToken ct) =>
        (await ReadAsync(productId, [ProductPartitionIds.Checkpoint(sequence)], [], ct)).Checkpoint(sequence);

    /// <summary>
    /// A page of the product's reservations of one status (null: all), each prefix in order id order: active ones read
    /// only the open prefix; closed ones the closed prefix, then the open one (closed reservations written before the
    /// split are there); all, the open prefix then the closed one. The token names the prefix it continues (opaque).
    /// </summary>
    public async Task<(IReadOnlyList<ProductReservation> Reservations, string? ContinuationToken)> ReservationPageAsync(string productId,
        ReservationStatus? status, int pageSize, string? token, CancellationToken ct)
    {
        string[] prefixes = status switch
        {
            null => [ProductPartitionIds.ReservationPrefix, ProductPartitionIds.ClosedReservationPrefix],
            ReservationStatus.Active => [ProductPartitionIds.ReservationPrefix],
            _ => [ProductPartitionIds.ClosedReservationPrefix, ProductPartitionIds.ReservationPrefix],
        };
        var (at, inner) = ReservationCursor.Parse(token, prefixes.Length);
        var page = await store.QueryAsync(Collection.Products, productId, prefixes[at], pageSize, inner, ct);
        var next = page.ContinuationToken is { } more ? ReservationCursor.Format(at, more)
            : at + 1 < prefixes.Length ? ReservationCursor.Format(at + 1, null) : null;
        return (page.Documents.Select(d => DocumentJson.Read<ProductReservation>(d.Body)).ToArray(), next);
    }

    /// <summary>
    /// A page of the products that hold (or held) a balance at one location, in product id order: a cross-partition query
    /// of the location's <c>bal|</c> documents (index entries while the head holds the balances, see <see cref="BalanceMarker"/>).
    /// </summary>
    public async Task<(IReadOnlyList<string> ProductIds, string? ContinuationToken)> ProductsAtPageAsync(string locationId, int pageSize, string? token,
        CancellationToken ct)
    {
        var page = await store.QueryAcrossPartitionsAsync(Collection.Products, ProductPartitionIds.Balance(locationId), pageSize, token, ct);
        return (page.Documents.Select(d => d.Partition).ToArray(), page.ContinuationToken);
    }

    /// <summary>The product and its balance at one location, in one read (the head's, or the <c>bal|</c> document's when the head holds none).</summary>
    public async Task<(Product? Product, StockBalance? Balance)> BalanceAtAsync(string productId, string locationId, CancellationToken ct)
    {
        var docs = await ReadAsync(productId, [ProductPartitionIds.Product, ProductPartitionIds.Head, ProductPartitionIds.Balance(locationId)], [], ct);
        return (docs.Product, docs.Balances.FirstOrDefault(b => b.LocationId == locationId));
    }

    /// <summary>A page of the ids of every product (a scan of the whole collection: operators' one-offs only).</summary>
    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ProductIdsPageAsync(int pageSize, string? token, CancellationToken ct) =>
        store.ListPartitionsAsync(Collection.Products, ProductPartitionIds.Product, pageSize, token, ct);
}

/// <summary>Where a reservation list goes on: which of its prefixes, and the store's token in it. URL-safe, opaque.</summary>
internal static class ReservationCursor
{
    private const string Version = "r1";

    public static string Format(int prefix, string? inner) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($"{Version}|{prefix}|{inner}"));

    public static (int Prefix, string? Inner) Parse(string? token, int prefixes)
    {
        if (token is null) return (0, null);
        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token)).Split('|', 3);
            if (parts.Length == 3 && parts[0] == Version && int.TryParse(parts[1], System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var prefix) && prefix < prefixes)
                return (prefix, parts[2].Length == 0 ? null : parts[2]);
        }
        catch (FormatException) { }
        throw new InvalidContinuationTokenException();
    }
}
