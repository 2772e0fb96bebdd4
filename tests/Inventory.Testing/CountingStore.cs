using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>Wraps any store and counts the documents its reads and queries return, to show what an operation costs.</summary>
public sealed class CountingStore(IDocumentStore inner) : IDocumentStore
{
    private long documentsRead;
    private long queries;

    public IDocumentStore Inner => inner;
    public StoreLimits Limits => inner.Limits;
    /// <summary>Documents returned by <see cref="ReadAsync"/> and <see cref="QueryAsync"/> (and cross-partition pages) since the last <see cref="Reset"/>.</summary>
    public long DocumentsRead => Interlocked.Read(ref documentsRead);
    /// <summary>Round trips that read (reads, queries, pages).</summary>
    public long Queries => Interlocked.Read(ref queries);

    public void Reset()
    {
        Interlocked.Exchange(ref documentsRead, 0);
        Interlocked.Exchange(ref queries, 0);
    }

    private T Count<T>(T result, int documents)
    {
        Interlocked.Add(ref documentsRead, documents);
        Interlocked.Increment(ref queries);
        return result;
    }

    public async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        var docs = await inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        return Count(docs, docs.Count);
    }

    public Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        inner.CommitAsync(collection, partition, writes, cancellationToken);

    public async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var page = await inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
        return Count(page, page.Documents.Count);
    }

    public async Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var page = await inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
        return Count(page, page.Partitions.Count);
    }

    public async Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var page = await inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
        return Count(page, page.Documents.Count);
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
