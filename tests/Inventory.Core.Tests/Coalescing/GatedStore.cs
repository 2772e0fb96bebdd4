using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Wraps a store so a test can hold a product commit in flight (arrivals then queue behind it, in the order the test
/// starts them), announce other limits than the inner store's and enforce them, and record what each product commit carried.
/// </summary>
internal sealed class GatedStore(IDocumentStore inner, StoreLimits? limits = null) : IDocumentStore
{
    private readonly object sync = new();
    private TaskCompletionSource? gate;
    private TaskCompletionSource blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StoreLimits Limits { get; } = limits ?? inner.Limits;
    /// <summary>Writes refused as too large beyond this count, whatever <see cref="Limits"/> announces (a store the estimate misjudges).</summary>
    public int? RefuseAbove { get; set; }
    public List<IReadOnlyList<DocumentWrite>> ProductCommits { get; } = [];
    public int Refusals { get; private set; }
    /// <summary>While set, every product commit is refused as throttled (a 429 the SDK gave up on): nothing is written.</summary>
    public bool Throttled { get; set; }
    /// <summary>While set, every product commit is applied and then answered as unavailable (an acknowledgement lost on the way back).</summary>
    public bool LoseAcknowledgements { get; set; }

    /// <summary>The next product commit waits until <see cref="Open"/>; <see cref="Blocked"/> completes when it does.</summary>
    public void Close()
    {
        lock (sync)
        {
            gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
            blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public Task Blocked { get { lock (sync) return blocked.Task; } }

    public void Open()
    {
        TaskCompletionSource? g;
        lock (sync) { g = gate; gate = null; }
        g?.TrySetResult();
    }

    public static long Bytes(IReadOnlyList<DocumentWrite> writes) => writes.Sum(w => w switch
    {
        DocumentWrite.Create c => c.Body.Length * 2L,
        DocumentWrite.Replace r => r.Body.Length * 2L,
        DocumentWrite.Upsert u => u.Body.Length * 2L,
        _ => 0,
    } + 1024);

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (collection == Collection.Products)
        {
            Task? wait = null;
            lock (sync) if (gate is { } g) { blocked.TrySetResult(); wait = g.Task; }
            if (wait is not null) await wait;
            if (Throttled) throw new StoreThrottledException("gated", "Throttled (test).", TimeSpan.FromMilliseconds(10));
            if (writes.Count > Limits.MaxWritesPerCommit || writes.Count > (RefuseAbove ?? int.MaxValue) || Bytes(writes) > Limits.MaxCommitBytes)
            {
                lock (sync) Refusals++;
                throw new TransactionTooLargeException($"{writes.Count} writes, {Bytes(writes)} bytes: beyond {Limits}.");
            }
        }
        await inner.CommitAsync(collection, partition, writes, cancellationToken);
        if (collection == Collection.Products) lock (sync) ProductCommits.Add(writes);
        if (collection == Collection.Products && LoseAcknowledgements) throw new StoreUnavailableException("gated", "Timed out (test); the commit applied.");
    }

    /// <summary>The ids asked for by each read of a product partition, in order.</summary>
    public List<IReadOnlyCollection<string>> ProductReads { get; } = [];

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        if (collection == Collection.Products) lock (sync) ProductReads.Add(ids.ToArray());
        return inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
    }

    /// <summary>The prefix and page size of each query of a product partition, in order (the newest ledger document: a page of one).</summary>
    public List<(string Prefix, int PageSize)> ProductQueries { get; } = [];

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        if (collection == Collection.Products) lock (sync) ProductQueries.Add((idPrefix, pageSize));
        return inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
    }

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
