using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>The process dies at a commit: before the store applies it, or after (the acknowledgement is lost).</summary>
public sealed class CrashException : Exception;

/// <summary>
/// A minimal fault-injecting wrapper for the change-saga crash tests (issue 16's FaultyStore does the same and more; this
/// one can be replaced by it): fails the <see cref="At"/>-th commit after <see cref="Arm"/>.
/// </summary>
internal sealed class CrashingStore(InMemoryDocumentStore inner) : IDocumentStore
{
    private int counted;
    public int? At { get; private set; }
    public bool AfterApplying { get; private set; }
    public int Commits => counted;

    public void Arm(int? at, bool afterApplying = false) => (counted, At, AfterApplying) = (0, at, afterApplying);

    public StoreLimits Limits => inner.Limits;

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        var strike = ++counted == At;
        if (strike && !AfterApplying) throw new CrashException();
        await inner.CommitAsync(collection, partition, writes, cancellationToken);
        if (strike) throw new CrashException();
    }

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
