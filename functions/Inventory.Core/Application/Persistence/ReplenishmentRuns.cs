using Inventory.Storage;

namespace Inventory.Application.Replenishment;

/// <summary>
/// The nightly scan's records (the runs module): partition <c>replenishment</c> of the Runs collection, one
/// <c>run|{runId}</c> per run with its counts and checkpoint, <c>latest</c>, a copy of the run started last as it was
/// last saved, and <c>running|{runId}</c>, an index entry per run saved running (so a later run finds one left running
/// whatever its day), removed by the first run that finds it ended.
/// </summary>
public sealed class ReplenishmentRuns(IDocumentStore store, ConcurrencyOptions? options = null)
{
    private readonly OptimisticConcurrency concurrency = new(options ?? new ConcurrencyOptions());
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
        return await concurrency.RunAsync(Partition, async _ =>
        {
            var docs = await store.ReadAsync(Collection.Runs, Partition, [id, LatestId], [], ct);
            if (docs.FirstOrDefault(d => d.Id == id)?.ETag != etag) return null; // another scan of the run saved first
            List<DocumentWrite> writes = [etag is null ? new DocumentWrite.Create(id, body) : new DocumentWrite.Replace(id, body, etag)];
            if (LatestWrite(run, body, docs.FirstOrDefault(d => d.Id == LatestId)) is { } latest) writes.Add(latest);
            if (run.Status == RunStatus.Running) writes.Add(new DocumentWrite.Upsert(RunningPrefix + run.RunId, "{}"));
            await store.CommitAsync(Collection.Runs, Partition, writes, ct); // a conflict: the run or latest moved, read again
            return (await store.ReadAsync(Collection.Runs, Partition, [id], [], ct))[0].ETag;
        }, ct);
    }

    /// <summary>
    /// <c>latest</c> only moves forward: to the same run's later save, or to a run started no earlier than the one it
    /// holds, under the ETag it was read with. A run of an earlier day still saving (slow across midnight, or resumed)
    /// after today's run, or closed as abandoned meanwhile, used to put itself back as the latest. Run ids are not
    /// compared: the scan's are days, but a run started by hand may be named anything. Null: latest holds a later run.
    /// </summary>
    private static DocumentWrite? LatestWrite(ReplenishmentRun run, string body, StoredDocument? latest)
    {
        if (latest is null) return new DocumentWrite.Create(LatestId, body);
        var held = DocumentJson.Read<ReplenishmentRun>(latest.Body);
        return held.RunId != run.RunId && held.StartedAt > run.StartedAt ? null : new DocumentWrite.Replace(LatestId, body, latest.ETag);
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
        var found = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Runs, Partition, RunningPrefix, 100, token, ct);
            foreach (var doc in page.Documents) found.Add(doc.Id[RunningPrefix.Length..]);
            token = page.ContinuationToken;
        } while (token is not null);
        if (await LatestAsync(ct) is { Status: RunStatus.Running } latest) found.Add(latest.RunId);

        var abandoned = new List<string>();
        foreach (var runId in found.Where(id => id != byRunId))
            if (await TryCloseAsync(runId, byRunId, now, ct)) abandoned.Add(runId);
        return abandoned;
    }

    /// <summary>
    /// One run, its entry and <c>latest</c> read together: the run closed if it is still running past its lease (and
    /// <c>latest</c> with it while it holds that run), its entry dropped unless it is still running. On a conflict all is
    /// read again: a run that saved meanwhile is alive and stays, and one closed by another run is left as it left it.
    /// </summary>
    private async Task<bool> TryCloseAsync(string runId, string byRunId, DateTimeOffset now, CancellationToken ct) =>
        await concurrency.RunAsync(Partition, async _ =>
        {
            var docs = await store.ReadAsync(Collection.Runs, Partition, [Id(runId), RunningPrefix + runId, LatestId], [], ct);
            var stored = docs.FirstOrDefault(d => d.Id == Id(runId));
            var run = stored is null ? null : DocumentJson.Read<ReplenishmentRun>(stored.Body);
            var closes = run is { Status: RunStatus.Running } && (run.SavedAt ?? run.StartedAt) + ReplenishmentRun.Lease <= now;
            if (run is { Status: RunStatus.Running } && !closes) return false; // alive, or not overdue yet
            List<DocumentWrite> writes = [];
            if (closes)
            {
                var body = DocumentJson.Write(run! with { Status = RunStatus.Abandoned, AbandonedBy = byRunId, AbandonedAt = now });
                writes.Add(new DocumentWrite.Replace(stored!.Id, body, stored.ETag));
                if (docs.FirstOrDefault(d => d.Id == LatestId) is { } latest && DocumentJson.Read<ReplenishmentRun>(latest.Body).RunId == runId)
                    writes.Add(new DocumentWrite.Replace(LatestId, body, latest.ETag));
            }
            if (docs.FirstOrDefault(d => d.Id == RunningPrefix + runId) is { } entry) writes.Add(new DocumentWrite.Delete(entry.Id, entry.ETag));
            if (writes.Count > 0) await store.CommitAsync(Collection.Runs, Partition, writes, ct);
            return closes;
        }, ct);
}
