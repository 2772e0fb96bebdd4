using System.Collections.Concurrent;
using Inventory.Storage;

namespace Inventory.Application.Counts;

/// <summary>
/// The store as one count sees it: a location's index entry and document are read once for the whole count, not once a
/// row (a location never changes warehouse, and a count lasts seconds). Everything else goes to the store as it is.
/// </summary>
internal sealed class LocationReads(IDocumentStore store) : IDocumentStore
{
    // Lazy: rows asking at the same moment share one read (GetOrAdd alone may run its factory once per caller).
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<StoredDocument>>>> cache = new(StringComparer.Ordinal);

    public StoreLimits Limits => store.Limits;

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        if (!WarehouseDocuments.IsLocationRead(collection, ids, idPrefixes)) return store.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        var key = $"{collection}\n{partition}\n{string.Join('\n', ids.Order(StringComparer.Ordinal))}";
        return cache.GetOrAdd(key, _ => new(() => LoadAsync(key, collection, partition, ids))).Value.WaitAsync(cancellationToken);
    }

    /// <summary>A failed read is forgotten, so the next row tries again.</summary>
    private async Task<IReadOnlyList<StoredDocument>> LoadAsync(string key, Collection collection, string partition, IReadOnlyCollection<string> ids)
    {
        try { return await store.ReadAsync(collection, partition, ids, [], CancellationToken.None); }
        catch
        {
            cache.TryRemove(key, out _);
            throw;
        }
    }

    public Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        store.CommitAsync(collection, partition, writes, cancellationToken);

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) => store.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        store.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        store.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) => store.PingAsync(cancellationToken);
}
