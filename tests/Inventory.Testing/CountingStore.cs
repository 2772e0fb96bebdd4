using System.Collections.Concurrent;
using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>
/// Wraps any store and counts its calls and the documents they returned, by kind of call and collection, so a test or a
/// benchmark can say what a use case reads (e.g. the nightly scan: index rows and one read per product, nothing across partitions).
/// </summary>
public sealed class CountingStore(IDocumentStore inner) : IDocumentStore
{
    private readonly ConcurrentDictionary<(string Call, Collection Collection), (long Calls, long Documents)> counts = new();

    private static readonly string[] ReadCalls = ["Read", "Query", "ListPartitions", "QueryAcrossPartitions"];

    public IDocumentStore Inner => inner;
    public StoreLimits Limits => inner.Limits;

    /// <summary>Documents returned by every kind of read (reads, queries, cross-partition pages) since the last <see cref="Reset"/>.</summary>
    public long DocumentsRead => ReadCalls.Sum(c => Documents(c));

    /// <summary>Round trips that read (reads, queries, pages) since the last <see cref="Reset"/>.</summary>
    public long Queries => ReadCalls.Sum(c => Calls(c));

    /// <summary>Calls of one kind ("Read", "Query", "Commit", "ListPartitions", "QueryAcrossPartitions") on a collection, or on all when null.</summary>
    public long Calls(string call, Collection? collection = null) =>
        counts.Where(c => c.Key.Call == call && (collection is null || c.Key.Collection == collection)).Sum(c => c.Value.Calls);

    /// <summary>Documents returned (read) by calls of one kind on a collection, or on all when null.</summary>
    public long Documents(string call, Collection? collection = null) =>
        counts.Where(c => c.Key.Call == call && (collection is null || c.Key.Collection == collection)).Sum(c => c.Value.Documents);

    public void Reset()
    {
        counts.Clear();
        byKind.Clear();
    }

    /// <summary>Documents returned by reads and queries whose id starts with <paramref name="prefix"/> (e.g. <c>res|</c>) since the last <see cref="Reset"/>.</summary>
    public long DocumentsReadWithPrefix(string prefix) => byKind.Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(k => k.Value);

    private readonly ConcurrentDictionary<string, long> byKind = new(StringComparer.Ordinal);

    private void CountKinds(IEnumerable<StoredDocument> docs)
    {
        foreach (var d in docs)
            byKind.AddOrUpdate(d.Id.IndexOf('|', StringComparison.Ordinal) is var bar and >= 0 ? d.Id[..(bar + 1)] : d.Id, 1, (_, n) => n + 1);
    }

    private void Count(string call, Collection collection, int documents) =>
        counts.AddOrUpdate((call, collection), (1, documents), (_, v) => (v.Calls + 1, v.Documents + documents));

    /// <summary>Changes what a read returns (a test hands out a torn read: an older head beside newer documents).</summary>
    public Func<Collection, IReadOnlyList<StoredDocument>, IReadOnlyList<StoredDocument>>? AfterRead { get; set; }

    /// <summary>Runs before each read with its collection, ids and prefixes (a test lets another instance commit there).</summary>
    public Func<Collection, IReadOnlyCollection<string>, IReadOnlyCollection<string>, Task>? BeforeRead { get; set; }

    public async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        if (BeforeRead is { } before) await before(collection, ids, idPrefixes);
        var docs = await inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        if (AfterRead is { } after) docs = after(collection, docs);
        Count("Read", collection, docs.Count);
        CountKinds(docs);
        return docs;
    }

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        await inner.CommitAsync(collection, partition, writes, cancellationToken);
        Count("Commit", collection, 0);
    }

    public async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var page = await inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
        Count("Query", collection, page.Documents.Count);
        CountKinds(page.Documents);
        return page;
    }

    public async Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var page = await inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
        Count("ListPartitions", collection, page.Partitions.Count);
        return page;
    }

    public async Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var page = await inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
        Count("QueryAcrossPartitions", collection, page.Documents.Count);
        return page;
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
