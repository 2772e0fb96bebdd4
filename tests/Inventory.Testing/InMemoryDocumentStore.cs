using System.Buffers.Text;
using System.Text;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>
/// An in-memory store for fast tests that is no kinder than Table Storage or Cosmos DB (the contract suite runs on all
/// three): it enforces the stricter of their limits (<see cref="Strictest"/>), refuses a commit naming an id twice,
/// escapes keys as the real stores do and refuses keys they would refuse, and pages as they may: short pages, empty
/// pages that still carry a token, and opaque tokens that are validated. <see cref="BeforeCommit"/> and
/// <see cref="AfterCommit"/> let a test fail a commit before it is applied, or after (a lost acknowledgement);
/// <see cref="FaultyStore"/> does the same for any store.
/// </summary>
public sealed class InMemoryDocumentStore : IDocumentStore
{
    /// <summary>
    /// Table Storage and Cosmos DB together: 100 writes per commit (both), 2 MiB per commit (Cosmos; Table allows 4),
    /// 64 KiB per document (Table keeps the JSON in one string property, at most 64 KiB of UTF-16; Cosmos allows 2 MB).
    /// Sizes are measured as the larger of UTF-16 and UTF-8, plus <see cref="EnvelopeBytes"/> per write of a commit.
    /// </summary>
    public static readonly StoreLimits Strictest = new(100, 2 * 1024 * 1024, 64 * 1024, "in-memory store");

    /// <summary>What a write costs a commit besides its document (Table's batch framing; Cosmos counts less).</summary>
    public const int EnvelopeBytes = 1024;

    /// <summary>Table keys are at most 1 KiB of UTF-16 (512 characters); Cosmos ids at most 1,023 bytes of UTF-8 (both after escaping).</summary>
    public const int MaxKeyChars = 512, MaxKeyUtf8Bytes = 1023;

    private readonly object gate = new();
    // Sorted lists, so a read finds its ids and prefixes by binary search, as a store's index does, not by walking the partition.
    private readonly Dictionary<(Collection, string), SortedList<string, StoredDocument>> partitions = [];
    private long etagCounter;
    private long pageCalls;

    public InMemoryDocumentStore(int maxWritesPerCommit = 100, StoreLimits? limits = null) =>
        Limits = (limits ?? Strictest) with { MaxWritesPerCommit = Math.Min(maxWritesPerCommit, (limits ?? Strictest).MaxWritesPerCommit) };

    public StoreLimits Limits { get; }
    public int Commits { get; private set; }
    public int Reads { get; private set; }

    /// <summary>Pages as the real stores may: some short, some empty but with a token. Off: every page as full as asked.</summary>
    public bool ShortPages { get; set; } = true;

    /// <summary>Called before a commit is applied (after its limits are checked); throw from it to fail the commit, writing nothing.</summary>
    public Action<Collection, string, IReadOnlyList<DocumentWrite>>? BeforeCommit { get; set; }

    /// <summary>Called after a commit is applied; throw from it to lose the acknowledgement of a commit that landed.</summary>
    public Action<Collection, string, IReadOnlyList<DocumentWrite>>? AfterCommit { get; set; }

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        var keys = ids.Select(Key).ToHashSet(StringComparer.Ordinal);
        var prefixes = idPrefixes.Select(StoreKeys.Escape).ToArray();
        lock (gate)
        {
            Reads++;
            if (!partitions.TryGetValue((collection, Key(partition)), out var docs)) return Task.FromResult<IReadOnlyList<StoredDocument>>([]);
            var found = new SortedSet<string>(keys.Where(docs.ContainsKey), StringComparer.Ordinal);
            foreach (var prefix in prefixes)
                for (var i = LowerBound(docs.Keys, prefix); i < docs.Count && docs.Keys[i].StartsWith(prefix, StringComparison.Ordinal); i++)
                    found.Add(docs.Keys[i]);
            return Task.FromResult<IReadOnlyList<StoredDocument>>(found.Select(k => docs[k]).ToArray());
        }
    }

    /// <summary>The first index whose key is not below <paramref name="key"/> (ordinal).</summary>
    private static int LowerBound(IList<string> sorted, string key)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(sorted[mid], key) < 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (writes.Count == 0) return Task.CompletedTask;
        var pk = Key(partition);
        var keyed = writes.Select(w => (Key: Key(w.Id), Write: w)).ToArray();
        CheckLimits(writes);
        StoreKeys.RefuseDuplicates(writes);
        lock (gate)
        {
            BeforeCommit?.Invoke(collection, partition, writes);
            if (!partitions.TryGetValue((collection, pk), out var docs))
                partitions[(collection, pk)] = docs = new SortedList<string, StoredDocument>(StringComparer.Ordinal);
            foreach (var (key, w) in keyed)
            {
                var exists = docs.TryGetValue(key, out var current);
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
            foreach (var (key, w) in keyed)
            {
                var etag = $"W/\"{++etagCounter}\"";
                switch (w)
                {
                    case DocumentWrite.Create c: docs[key] = new StoredDocument(c.Id, c.Body, etag); break;
                    case DocumentWrite.Replace r: docs[key] = new StoredDocument(r.Id, r.Body, etag); break;
                    case DocumentWrite.Upsert u: docs[key] = new StoredDocument(u.Id, u.Body, etag); break;
                    case DocumentWrite.Delete: docs.Remove(key); break;
                }
            }
            if (docs.Count == 0) partitions.Remove((collection, pk));
            Commits++;
            AfterCommit?.Invoke(collection, partition, writes);
        }
        return Task.CompletedTask;
    }

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var prefix = StoreKeys.Escape(idPrefix);
        var scope = $"q|{collection}|{Key(partition)}|{prefix}";
        var after = QueryPosition.TryAfter(continuationToken, out var afterId) ? StoreKeys.Escape(afterId) : Decode(continuationToken, scope);
        lock (gate)
        {
            var keys = partitions.TryGetValue((collection, Key(partition)), out var docs)
                ? docs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && (after is null || string.CompareOrdinal(k, after) > 0))
                : [];
            var (taken, next) = Page(keys.ToArray(), pageSize, after, scope);
            return Task.FromResult(new DocumentPage(taken.Select(k => docs![k]).ToArray(), next));
        }
    }

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var id = Key(documentId);
        var scope = $"p|{collection}|{id}";
        var after = Decode(continuationToken, scope);
        lock (gate)
        {
            var keys = partitions.Where(p => p.Key.Item1 == collection && p.Value.ContainsKey(id)).Select(p => p.Key.Item2)
                .Where(k => after is null || string.CompareOrdinal(k, after) > 0).Order(StringComparer.Ordinal).ToArray();
            var (taken, next) = Page(keys, pageSize, after, scope);
            return Task.FromResult<(IReadOnlyList<string>, string?)>((taken.Select(StoreKeys.Unescape).ToArray(), next));
        }
    }

    public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var id = Key(documentId);
        var scope = $"a|{collection}|{id}";
        var after = Decode(continuationToken, scope);
        lock (gate)
        {
            Reads++;
            var keys = partitions.Where(p => p.Key.Item1 == collection && p.Value.ContainsKey(id)).Select(p => p.Key.Item2)
                .Where(k => after is null || string.CompareOrdinal(k, after) > 0).Order(StringComparer.Ordinal).ToArray();
            var (taken, next) = Page(keys, pageSize, after, scope);
            return Task.FromResult(new PartitionDocumentPage(
                taken.Select(k => new PartitionDocument(StoreKeys.Unescape(k), partitions[(collection, k)][id])).ToArray(), next));
        }
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// One page of the ordered keys after the token's. With <see cref="ShortPages"/> every third page is empty (with a
    /// token, while more remain) and every third holds half the page size, as Table Storage does at partition-range
    /// boundaries and time limits; callers must follow tokens, not count results.
    /// </summary>
    private (string[] Taken, string? Next) Page(string[] keys, int pageSize, string? after, string scope)
    {
        if (pageSize < 1) throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A page holds at least one document.");
        var size = !ShortPages ? pageSize : (pageCalls++ % 3) switch { 0 => pageSize, 1 => Math.Max(1, pageSize / 2), _ => 0 };
        var taken = keys.Take(size).ToArray();
        if (keys.Length <= taken.Length) return (taken, null);
        var last = taken.Length > 0 ? taken[^1] : after ?? "";
        return (taken, Encode(scope, last));
    }

    private static string Encode(string scope, string last) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"mem1\n{scope}\n{last}"));

    /// <summary>The key to continue after, or a validation error for a token this store did not issue for this query.</summary>
    private static string? Decode(string? token, string scope)
    {
        if (token is null) return null;
        string text;
        try { text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { throw InvalidToken(); }
        var parts = text.Split('\n');
        if (parts.Length != 3 || parts[0] != "mem1" || parts[1] != scope) throw InvalidToken();
        return parts[2];
    }

    private static InvalidContinuationTokenException InvalidToken() => new();

    /// <summary>A key as the real stores keep it: escaped, non-empty and within both stores' key size.</summary>
    private static string Key(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var escaped = StoreKeys.Escape(key);
        if (escaped.Length > MaxKeyChars || Encoding.UTF8.GetByteCount(escaped) > MaxKeyUtf8Bytes)
            throw new ArgumentException($"Key '{key[..Math.Min(key.Length, 40)]}…' is {escaped.Length} characters escaped; Table Storage allows 1 KiB of UTF-16, Cosmos DB 1,023 bytes.", nameof(key));
        return escaped;
    }

    /// <summary>Measured as <c>CommitSize</c> does in the application: the larger of UTF-16 and UTF-8, plus an envelope per write.</summary>
    public static long DocumentBytes(string body) => Math.Max(body.Length * 2L, Encoding.UTF8.GetByteCount(body));

    private void CheckLimits(IReadOnlyList<DocumentWrite> writes)
    {
        if (writes.Count > Limits.MaxWritesPerCommit)
            throw new TransactionTooLargeException($"{writes.Count} writes; the {Limits.StoreName} allows {Limits.MaxWritesPerCommit} per commit.");
        long total = 0;
        foreach (var w in writes)
        {
            var body = w switch { DocumentWrite.Create c => c.Body, DocumentWrite.Replace r => r.Body, DocumentWrite.Upsert u => u.Body, _ => "" };
            var bytes = DocumentBytes(body);
            if (bytes > Limits.MaxDocumentBytes)
                throw new TransactionTooLargeException($"Document '{w.Id}' is {bytes} bytes; the {Limits.StoreName} allows {Limits.MaxDocumentBytes} bytes per document.");
            total += bytes + EnvelopeBytes;
        }
        if (total > Limits.MaxCommitBytes)
            throw new TransactionTooLargeException($"Commit of {total} bytes; the {Limits.StoreName} allows {Limits.MaxCommitBytes} bytes per commit.");
    }
}
