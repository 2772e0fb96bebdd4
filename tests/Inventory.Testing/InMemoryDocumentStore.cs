using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>
/// A faithful in-memory store for fast tests: same conditions and atomicity as the real ones (the contract suite runs
/// on it too). Can be told to fail the next commits, to test what callers do when a commit is lost.
/// </summary>
public sealed class InMemoryDocumentStore(int maxWritesPerCommit = 100) : IDocumentStore
{
    private readonly object gate = new();
    private readonly Dictionary<(Collection, string), SortedDictionary<string, StoredDocument>> partitions = [];
    private long etagCounter;

    public StoreLimits Limits { get; } = new(maxWritesPerCommit, 4 * 1024 * 1024, 64 * 1024, "in-memory store");
    public int Commits { get; private set; }
    public int Reads { get; private set; }

    /// <summary>Called before each commit is applied; throw from it to simulate a failure or a crash.</summary>
    public Action<Collection, string, IReadOnlyList<DocumentWrite>>? BeforeCommit { get; set; }

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            Reads++;
            if (!partitions.TryGetValue((collection, partition), out var docs)) return Task.FromResult<IReadOnlyList<StoredDocument>>([]);
            var found = docs.Values.Where(d => ids.Contains(d.Id) || idPrefixes.Any(p => d.Id.StartsWith(p, StringComparison.Ordinal))).ToArray();
            return Task.FromResult<IReadOnlyList<StoredDocument>>(found);
        }
    }

    public Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (writes.Count > Limits.MaxWritesPerCommit)
            throw new TransactionTooLargeException($"{writes.Count} writes; the in-memory store allows {Limits.MaxWritesPerCommit}.");
        lock (gate)
        {
            BeforeCommit?.Invoke(collection, partition, writes);
            if (!partitions.TryGetValue((collection, partition), out var docs))
                partitions[(collection, partition)] = docs = new SortedDictionary<string, StoredDocument>(StringComparer.Ordinal);
            foreach (var w in writes)
            {
                var exists = docs.TryGetValue(w.Id, out var current);
                var conflict = w switch
                {
                    DocumentWrite.Create when exists => ConflictKind.AlreadyExists,
                    DocumentWrite.Replace or DocumentWrite.Delete when !exists => ConflictKind.NotFound,
                    DocumentWrite.Replace r when r.IfMatch != current!.ETag => ConflictKind.PreconditionFailed,
                    DocumentWrite.Delete d when d.IfMatch != current!.ETag => ConflictKind.PreconditionFailed,
                    _ => (ConflictKind?)null,
                };
                if (conflict is { } kind) throw new CommitConflictException(kind, w.Id);
            }
            foreach (var w in writes)
            {
                var etag = $"W/\"{++etagCounter}\"";
                switch (w)
                {
                    case DocumentWrite.Create c: docs[c.Id] = new StoredDocument(c.Id, c.Body, etag); break;
                    case DocumentWrite.Replace r: docs[r.Id] = new StoredDocument(r.Id, r.Body, etag); break;
                    case DocumentWrite.Upsert u: docs[u.Id] = new StoredDocument(u.Id, u.Body, etag); break;
                    case DocumentWrite.Delete d: docs.Remove(d.Id); break;
                }
            }
            Commits++;
        }
        return Task.CompletedTask;
    }

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        if (continuationToken is not null && !continuationToken.StartsWith(idPrefix, StringComparison.Ordinal))
            throw new InvalidContinuationTokenException(); // the tokens it issues are ids of the query
        lock (gate)
        {
            var all = partitions.TryGetValue((collection, partition), out var docs)
                ? docs.Values.Where(d => d.Id.StartsWith(idPrefix, StringComparison.Ordinal)) : [];
            var after = continuationToken ?? "";
            var page = all.Where(d => string.CompareOrdinal(d.Id, after) > 0).Take(pageSize + 1).ToArray();
            var more = page.Length > pageSize;
            var taken = page.Take(pageSize).ToArray();
            return Task.FromResult(new DocumentPage(taken, more ? taken[^1].Id : null));
        }
    }

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var keys = partitions.Where(p => p.Key.Item1 == collection && p.Value.ContainsKey(documentId)).Select(p => p.Key.Item2)
                .Where(k => continuationToken is null || string.CompareOrdinal(k, continuationToken) > 0)
                .OrderBy(k => k, StringComparer.Ordinal).Take(pageSize + 1).ToArray();
            var more = keys.Length > pageSize;
            var taken = keys.Take(pageSize).ToArray();
            return Task.FromResult<(IReadOnlyList<string>, string?)>((taken, more ? taken[^1] : null));
        }
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
