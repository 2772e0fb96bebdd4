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

    /// <summary>A page of the balances held at one location, across products, in product id order (a cross-partition query).</summary>
    public async Task<(IReadOnlyList<(string ProductId, StockBalance Balance)> Balances, string? ContinuationToken)> BalancesAtPageAsync(
        string locationId, int pageSize, string? token, CancellationToken ct)
    {
        var page = await store.QueryAcrossPartitionsAsync(Collection.Products, ProductPartitionIds.Balance(locationId), pageSize, token, ct);
        return (page.Documents.Select(d => (d.Partition, DocumentJson.Read<StockBalance>(d.Document.Body))).ToArray(), page.ContinuationToken);
    }

    /// <summary>A page of the ids of every product (a scan of the whole collection: operators' one-offs only).</summary>
    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ProductIdsPageAsync(int pageSize, string? token, CancellationToken ct) =>
        store.ListPartitionsAsync(Collection.Products, ProductPartitionIds.Product, pageSize, token, ct);
}
