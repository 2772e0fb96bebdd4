using Inventory.Storage;

namespace Inventory.Bench;

/// <summary>What a store was asked to do: counted at the port, not estimated.</summary>
/// <remarks><paramref name="CheckpointsWritten"/>: of <paramref name="DocumentsWritten"/>, the ledger checkpoints (<c>ckp|</c>, one
/// per <c>Ledger:CheckpointEvery</c> entries, written with the commit that reaches one).</remarks>
public sealed record StoreTally(long Commits, long DocumentsWritten, long BytesWritten, long Reads, long Queries, long DocumentsRead,
    double Ru, double ProductPartitionRu, long CheckpointsWritten = 0)
{
    public static StoreTally operator -(StoreTally a, StoreTally b) => new(a.Commits - b.Commits, a.DocumentsWritten - b.DocumentsWritten,
        a.BytesWritten - b.BytesWritten, a.Reads - b.Reads, a.Queries - b.Queries, a.DocumentsRead - b.DocumentsRead, a.Ru - b.Ru,
        a.ProductPartitionRu - b.ProductPartitionRu, a.CheckpointsWritten - b.CheckpointsWritten);

    /// <summary>The same figures per accepted reservation.</summary>
    public StoreCost Per(long reservations)
    {
        double d = Math.Max(1, reservations);
        return new(Commits / d, DocumentsWritten / d, BytesWritten / d, Reads / d, Queries / d, Ru / d, ProductPartitionRu / d, CheckpointsWritten / d);
    }
}

/// <summary>Store work per accepted reservation.</summary>
public sealed record StoreCost(double Commits, double DocumentsWritten, double BytesWritten, double Reads, double Queries, double Ru, double ProductPartitionRu,
    double CheckpointsWritten = 0)
{
    /// <summary>The documents written but the ledger checkpoints: what the reservations' own commits wrote.</summary>
    public double DocumentsBesidesCheckpoints => DocumentsWritten - CheckpointsWritten;

    /// <summary>Reservations per second one product partition allows at 10,000 RU/s (a physical partition's most).</summary>
    public double PartitionCeiling => ProductPartitionRu <= 0 ? double.NaN : 10_000 / ProductPartitionRu;
}

/// <summary>
/// Wraps a store and counts every call that reaches it: commits (transactions) and the documents and bytes they write,
/// reads (<see cref="IDocumentStore.ReadAsync"/>, one round trip each) and queries (pages), with the Cosmos DB request
/// units each would cost (<see cref="CosmosCharges"/>), in all and in the Products collection (the hot partition's budget).
/// A failed commit (a lost race, a refusal) counts as a call but writes nothing; it is charged what Cosmos charges a refused batch.
/// </summary>
public sealed class CountingStore(IDocumentStore inner) : IDocumentStore
{
    private readonly Lock gate = new();
    private long commits, documentsWritten, bytesWritten, reads, queries, documentsRead, checkpointsWritten;
    private double ru, productRu;

    public StoreLimits Limits => inner.Limits;

    public StoreTally Tally
    {
        get { lock (gate) return new(commits, documentsWritten, bytesWritten, reads, queries, documentsRead, ru, productRu, checkpointsWritten); }
    }

    public async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        var found = await inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        Count(collection, CosmosCharges.Read(ids, idPrefixes, found), r: 1, docs: found.Count);
        return found;
    }

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        var charge = CosmosCharges.Commit(writes);
        try
        {
            await inner.CommitAsync(collection, partition, writes, cancellationToken);
        }
        catch (CommitConflictException e)
        {
            Count(collection, CosmosCharges.Refused(writes, e.DocumentId), c: 1);
            throw;
        }
        Count(collection, charge, c: 1, written: writes.Count, bytes: writes.Sum(w => (long)CosmosCharges.Bytes(Body(w))),
            checkpoints: collection == Collection.Products ? writes.Count(w => w.Id.StartsWith(CheckpointPrefix, StringComparison.Ordinal)) : 0);
    }

    public async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var page = await inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
        Count(collection, CosmosCharges.Query(page.Documents), q: 1, docs: page.Documents.Count);
        return page;
    }

    public async Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var page = await inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
        Count(collection, CosmosCharges.QueryBaseRu, q: 1);
        return page;
    }

    public async Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize,
        string? continuationToken, CancellationToken cancellationToken = default)
    {
        var page = await inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
        Count(collection, CosmosCharges.Query(page.Documents.Select(d => d.Document).ToArray()), q: 1, docs: page.Documents.Count);
        return page;
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);

    private static string? Body(DocumentWrite w) => w switch
    {
        DocumentWrite.Create c => c.Body,
        DocumentWrite.Replace r => r.Body,
        DocumentWrite.Upsert u => u.Body,
        _ => null,
    };

    /// <summary>The ids of a product's ledger checkpoints and their parts (the product partition module's <c>ProductPartitionIds</c>).</summary>
    private const string CheckpointPrefix = "ckp|";

    private void Count(Collection collection, double charge, int c = 0, int written = 0, long bytes = 0, int r = 0, int q = 0, int docs = 0, int checkpoints = 0)
    {
        lock (gate)
        {
            commits += c; documentsWritten += written; bytesWritten += bytes; reads += r; queries += q; documentsRead += docs;
            checkpointsWritten += checkpoints;
            ru += charge;
            if (collection == Collection.Products) productRu += charge;
        }
    }
}
