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

    /// <summary>A page of the product's reservations, in order id order.</summary>
    public async Task<(IReadOnlyList<ProductReservation> Reservations, string? ContinuationToken)> ReservationPageAsync(string productId, int pageSize,
        string? token, CancellationToken ct)
    {
        var page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.ReservationPrefix, pageSize, token, ct);
        return (page.Documents.Select(d => DocumentJson.Read<ProductReservation>(d.Body)).ToArray(), page.ContinuationToken);
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
