using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>A store that passes every call to another: a test overrides the one call it watches or disturbs.</summary>
public abstract class DelegatingStore(IDocumentStore inner) : IDocumentStore
{
    public IDocumentStore Inner => inner;
    public virtual StoreLimits Limits => inner.Limits;

    public virtual Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);

    public virtual Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        inner.CommitAsync(collection, partition, writes, cancellationToken);

    public virtual Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) => inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);

    public virtual Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public virtual Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) => inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public virtual Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
