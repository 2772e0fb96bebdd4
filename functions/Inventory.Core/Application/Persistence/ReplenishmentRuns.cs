using Inventory.Storage;

namespace Inventory.Application.Replenishment;

/// <summary>
/// The nightly scan's records (the runs module): partition <c>replenishment</c> of the Runs collection, one
/// <c>run|{runId}</c> per run with its counts and checkpoint, <c>latest</c>, a copy of the last one saved, and
/// <c>running|{runId}</c>, an index entry per run saved running (so a later run finds one left running whatever its
/// day), removed by the first run that finds it ended.
/// </summary>
public sealed class ReplenishmentRuns(IDocumentStore store)
{
    public const string Partition = "replenishment";
    private const string LatestId = "latest";
    private const string RunningPrefix = "running|";

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
        List<DocumentWrite> writes = [etag is null ? new DocumentWrite.Create(id, body) : new DocumentWrite.Replace(id, body, etag), new DocumentWrite.Upsert(LatestId, body)];
        if (run.Status == RunStatus.Running) writes.Add(new DocumentWrite.Upsert(RunningPrefix + run.RunId, "{}"));
        if (!await OptimisticConcurrency.TryCommitAsync(store, Collection.Runs, Partition, writes, ct)) return null;
        return (await store.ReadAsync(Collection.Runs, Partition, [id], [], ct))[0].ETag;
    }

    /// <summary>
    /// Closes every other run left running and not saved for <see cref="ReplenishmentRun.Lease"/> as abandoned by
    /// <paramref name="byRunId"/>, and drops the index entries of runs that ended. The run's id is its day, so only a run
    /// of that day resumed it: one killed near midnight stayed RUNNING for good. Conditioned on the run as read: a run
    /// that saves meanwhile is alive and stays; once closed, its own next save fails and it stops. Runs saved before the
    /// index are found through <c>latest</c>. Returns the runs closed.
    /// </summary>
    public async Task<IReadOnlyList<string>> AbandonStaleAsync(string byRunId, DateTimeOffset now, CancellationToken ct)
    {
        var entries = new Dictionary<string, string?>(StringComparer.Ordinal); // run id → its entry's ETag
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Runs, Partition, RunningPrefix, 100, token, ct);
            foreach (var doc in page.Documents) entries[doc.Id[RunningPrefix.Length..]] = doc.ETag;
            token = page.ContinuationToken;
        } while (token is not null);
        var latest = await LatestAsync(ct);
        if (latest is { Status: RunStatus.Running }) entries.TryAdd(latest.RunId, null);

        var abandoned = new List<string>();
        foreach (var (runId, entryETag) in entries)
        {
            if (runId == byRunId) continue;
            var (run, etag) = await ReadAsync(runId, ct);
            List<DocumentWrite> writes = [];
            if (run is { Status: RunStatus.Running } && (run.SavedAt ?? run.StartedAt) + ReplenishmentRun.Lease <= now)
            {
                var body = DocumentJson.Write(run with { Status = RunStatus.Abandoned, AbandonedBy = byRunId, AbandonedAt = now });
                writes.Add(new DocumentWrite.Replace(Id(runId), body, etag!));
                if (latest?.RunId == runId) writes.Add(new DocumentWrite.Upsert(LatestId, body));
                abandoned.Add(runId);
            }
            else if (run is { Status: RunStatus.Running }) continue; // alive, or not overdue yet
            if (entryETag is not null) writes.Add(new DocumentWrite.Delete(RunningPrefix + runId, entryETag));
            if (writes.Count > 0 && !await OptimisticConcurrency.TryCommitAsync(store, Collection.Runs, Partition, writes, ct)) abandoned.Remove(runId);
        }
        return abandoned;
    }
}
