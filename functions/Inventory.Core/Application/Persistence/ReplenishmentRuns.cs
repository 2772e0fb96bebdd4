using Inventory.Storage;

namespace Inventory.Application.Replenishment;

/// <summary>
/// The nightly scan's records (the runs module): partition <c>replenishment</c> of the Runs collection, one
/// <c>run|{runId}</c> per run with its counts and checkpoint, and <c>latest</c>, a copy of the last one saved.
/// </summary>
public sealed class ReplenishmentRuns(IDocumentStore store)
{
    public const string Partition = "replenishment";
    private const string LatestId = "latest";

    private static string Id(string runId) => "run|" + runId;

    public Task<(ReplenishmentRun? Run, string? ETag)> ReadAsync(string runId, CancellationToken ct) => ReadIdAsync(Id(runId), ct);

    public async Task<ReplenishmentRun?> LatestAsync(CancellationToken ct) => (await ReadIdAsync(LatestId, ct)).Run;

    private async Task<(ReplenishmentRun? Run, string? ETag)> ReadIdAsync(string id, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Runs, Partition, [id], [], ct);
        return docs.Count == 0 ? (null, null) : (DocumentJson.Read<ReplenishmentRun>(docs[0].Body), docs[0].ETag);
    }

    /// <summary>
    /// Saves the run under the ETag it was read with, and the latest pointer: two scans of one run cannot both advance it.
    /// Returns the new ETag, or null when another scan saved first.
    /// </summary>
    public async Task<string?> TrySaveAsync(ReplenishmentRun run, string? etag, CancellationToken ct)
    {
        var id = Id(run.RunId);
        var body = DocumentJson.Write(run);
        if (!await OptimisticConcurrency.TryCommitAsync(store, Collection.Runs, Partition,
                [etag is null ? new DocumentWrite.Create(id, body) : new DocumentWrite.Replace(id, body, etag), new DocumentWrite.Upsert(LatestId, body)], ct))
            return null;
        return (await store.ReadAsync(Collection.Runs, Partition, [id], [], ct))[0].ETag;
    }
}
