using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Core.Tests.Telemetry;

/// <summary>A store that charges a fixed cost per call, as the Cosmos store charges RU, and counts what it charged.</summary>
internal sealed class ChargingStore(IDocumentStore inner, double perRead = 1, double perCommit = 10) : IDocumentStore
{
    private readonly Lock gate = new();
    private double total;

    public double Total { get { lock (gate) return total; } }

    /// <summary>A product commit fails with a lost race this many more times.</summary>
    public int ConflictsToInject { get; set; }

    public void Reset() { lock (gate) total = 0; }

    private void Charge(double units)
    {
        lock (gate) total += units;
        OperationCost.Charge(units);
    }

    public StoreLimits Limits => inner.Limits;

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        Charge(perRead);
        return inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
    }

    public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        Charge(perRead);
        return inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
    }

    public Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        Charge(perCommit);
        if (collection == Collection.Products && ConflictsToInject > 0)
        {
            ConflictsToInject--;
            throw new CommitConflictException(ConflictKind.PreconditionFailed, "head");
        }
        return inner.CommitAsync(collection, partition, writes, cancellationToken);
    }

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        Charge(perRead);
        return inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
    }

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
