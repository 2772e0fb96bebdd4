using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>Which side of a commit a fault strikes.</summary>
public enum FaultSide
{
    /// <summary>The commit fails before the store applies it: nothing of it is written.</summary>
    BeforeApplying,
    /// <summary>The store applies the commit, then the caller sees an error (a timeout after the write landed).</summary>
    LostAcknowledgement,
}

/// <summary>The error a <see cref="FaultyStore"/> raises: the process is assumed dead from here on.</summary>
public sealed class StoreFaultException(int commit, FaultSide side, Collection collection, string partition)
    : Exception($"Injected fault {side} at commit {commit} ({collection}/{partition}).")
{
    public int Commit { get; } = commit;
    public FaultSide Side { get; } = side;
}

/// <summary>
/// Wraps any store and breaks one chosen commit, on either side of it: <see cref="FailAt"/> the n-th commit (counting
/// from 1, after <see cref="Arm"/>) before it is applied, or after it was applied. Every commit is logged, so a clean
/// run tells how many commits an operation makes and a test can crash after each.
/// </summary>
public sealed class FaultyStore(IDocumentStore inner) : IDocumentStore
{
    private readonly object gate = new();
    private (int At, FaultSide Side)? fault;
    private int counted;

    public IDocumentStore Inner => inner;
    public StoreLimits Limits => inner.Limits;

    /// <summary>Commits attempted since the last <see cref="Arm"/> (or since creation), failed ones included.</summary>
    public int Commits { get { lock (gate) return counted; } }

    /// <summary>Every commit attempted since the last <see cref="Arm"/>: where, how many writes, and the ids written.</summary>
    public List<(Collection Collection, string Partition, int Writes, IReadOnlyList<string> Ids)> Log { get; } = [];

    /// <summary>Counts commits from zero again and fails the <paramref name="at"/>-th one on <paramref name="side"/> (null: no fault).</summary>
    public void Arm(int? at = null, FaultSide side = FaultSide.BeforeApplying)
    {
        lock (gate)
        {
            counted = 0;
            fault = at is { } n ? (n, side) : null;
            Log.Clear();
        }
    }

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        int number;
        FaultSide? strike = null;
        lock (gate)
        {
            number = ++counted;
            Log.Add((collection, partition, writes.Count, writes.Select(w => w.Id).ToArray()));
            if (fault is { } f && f.At == number) { strike = f.Side; fault = null; }
        }
        if (strike == FaultSide.BeforeApplying) throw new StoreFaultException(number, FaultSide.BeforeApplying, collection, partition);
        await inner.CommitAsync(collection, partition, writes, cancellationToken);
        if (strike == FaultSide.LostAcknowledgement) throw new StoreFaultException(number, FaultSide.LostAcknowledgement, collection, partition);
    }

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);

    public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
