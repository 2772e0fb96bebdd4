using Inventory.Application.Catalog;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Replenishment;

/// <summary><see cref="Abandoned"/>: left running by a scan that died, closed by a later run (<see cref="ReplenishmentRun.Lease"/>).</summary>
public enum RunStatus { Running, Completed, Abandoned }

/// <summary>A scan's record: its counts and the checkpoint it resumes from.</summary>
public sealed record ReplenishmentRun
{
    public required string RunId { get; init; }
    public RunStatus Status { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Where the next page of products starts; null before the first page and after the last.</summary>
    public string? Checkpoint { get; init; }
    public int Pages { get; init; }
    public long Scanned { get; init; }
    public long BelowThreshold { get; init; }
    public long OrdersCreated { get; init; }
    public long SkippedOpenOrder { get; init; }
    public long Errors { get; init; }
    /// <summary>Catalogue index rows whose product does not exist (a save still running, or one that died before its product): skipped.</summary>
    public long RowsWithoutProduct { get; init; }
    public bool PastDue { get; init; }
    public IReadOnlyList<string> ErrorSamples { get; init; } = [];
    /// <summary>When the run last saved its page (null on runs saved before 2026-12-02: <see cref="StartedAt"/> counts).</summary>
    public DateTimeOffset? SavedAt { get; init; }
    /// <summary>The run that closed this one as <see cref="RunStatus.Abandoned"/>, and when.</summary>
    public string? AbandonedBy { get; init; }
    public DateTimeOffset? AbandonedAt { get; init; }

    /// <summary>
    /// How long a running run may go without saving a page before a later run takes it for dead: a page takes seconds,
    /// and a scan stopped longer than this (its instance killed) never saves again.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);
}

/// <summary>
/// The nightly safety-stock scan over every product, page by page through the catalogue index (so its cost follows the
/// number of products, not their history), with bounded parallelism inside a page. It also mends the index rows it
/// walks (<see cref="CatalogIndex.RepairAsync"/>): a row left pending by a save that died. After each
/// page the run record saves its counts and the checkpoint together (ETag-conditioned), so a timeout or restart resumes
/// at the first unfinished page: no product is skipped, and products of that page that were already ordered are
/// refused by the open-order guard, so nothing is ordered twice. A run already completed today is returned as it is. A run of
/// another day left running past its lease (its instance killed near midnight) is closed as abandoned first.
/// Memory stays flat: only one page of products is held at a time.
/// </summary>
public sealed class DailyReplenishmentScan(IDocumentStore store, CatalogIndex index, ReorderProduct reorder, ReplenishmentOptions options,
    ConcurrencyOptions concurrency, TimeProvider clock)
{
    public const string Partition = ReplenishmentRuns.Partition;
    private readonly ReplenishmentRuns runs = new(store, concurrency);
    private const int KeptErrorSamples = 20;
    /// <summary>Queries per page at most: a page may cross every bucket of the index, and a store may answer short pages.</summary>
    private const int MaxIndexCallsPerPage = CatalogIndex.Buckets * 4;

    public async Task<ReplenishmentRun> ExecuteAsync(bool pastDue = false, string? runId = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        runId ??= now.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var (run, etag) = await runs.ReadAsync(runId, ct);
        if (run is { Status: not RunStatus.Running }) return run; // completed, or closed as abandoned by a later run
        await runs.AbandonStaleAsync(runId, now, ct); // a run of another day killed before it ended
        run ??= new ReplenishmentRun { RunId = runId, StartedAt = now, PastDue = pastDue };
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        do
        {
            var (rows, next) = await PageAsync(run.Checkpoint, ct);
            var outcomes = new List<ReorderOutcome>();
            var withoutProduct = 0;
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = options.ScanParallelism, CancellationToken = ct },
                async (row, token) =>
                {
                    var outcome = await EvaluateAsync(row, today, token);
                    if (outcome is null) Interlocked.Increment(ref withoutProduct);
                    else lock (outcomes) outcomes.Add(outcome);
                });
            run = run with
            {
                Checkpoint = next,
                Pages = run.Pages + 1,
                Scanned = run.Scanned + outcomes.Count,
                BelowThreshold = run.BelowThreshold + outcomes.Count(o => o.Position is { } p && (p.Reorder || o.Result == ReorderResult.OpenOrderExists)),
                OrdersCreated = run.OrdersCreated + outcomes.Count(o => o.Result == ReorderResult.Created),
                SkippedOpenOrder = run.SkippedOpenOrder + outcomes.Count(o => o.Result == ReorderResult.OpenOrderExists),
                Errors = run.Errors + outcomes.Count(o => o.Result == ReorderResult.Failed),
                RowsWithoutProduct = run.RowsWithoutProduct + withoutProduct,
                ErrorSamples = [.. run.ErrorSamples, .. outcomes.Where(o => o.Result == ReorderResult.Failed).Select(o => $"{o.ProductId}: {o.Reason}").Take(KeptErrorSamples - run.ErrorSamples.Count)],
                Status = next is null ? RunStatus.Completed : RunStatus.Running,
                CompletedAt = next is null ? clock.GetUtcNow() : null,
                SavedAt = clock.GetUtcNow(),
            };
            if (await runs.TrySaveAsync(run, etag, ct) is { } saved) { etag = saved; continue; }

            // Another scan of the same run saved this page first: carry on from what it recorded (or return its finished
            // run). Products both evaluated were guarded by the open-order check, and only the recorded counts stand.
            // Closed as abandoned meanwhile (this scan stalled past its lease): it stops, the run that closed it scans.
            (var stored, etag) = await runs.ReadAsync(runId, ct);
            run = stored ?? throw new InvalidOperationException($"Replenishment run '{runId}' vanished while it was being saved.");
        } while (run.Status == RunStatus.Running);
        return run;
    }

    public async Task<ReplenishmentRun?> LatestAsync(CancellationToken ct = default) => await runs.LatestAsync(ct);

    /// <summary>
    /// A page of index rows from the run's checkpoint. A checkpoint the index did not issue (saved by a scan from before
    /// the index) starts the run over: products already ordered are refused by the open-order guard.
    /// </summary>
    private async Task<CatalogPage> PageAsync(string? checkpoint, CancellationToken ct)
    {
        try { return await index.PageAsync(options.ScanPageSize, checkpoint, MaxIndexCallsPerPage, ct); }
        catch (InvalidContinuationTokenException) when (checkpoint is not null) { return await index.PageAsync(options.ScanPageSize, null, MaxIndexCallsPerPage, ct); }
    }

    /// <summary>One product: its snapshot (read after its index row, as a repair needs), the row mended if need be, the rule applied. Null: no product.</summary>
    private async Task<ReorderOutcome?> EvaluateAsync(IndexedProduct row, DateOnly today, CancellationToken ct)
    {
        var productId = row.Entry.ProductId;
        try
        {
            var snapshot = await new ProductPartitions(store).SnapshotAsync(productId, ct);
            await index.RepairAsync(row, snapshot?.Product, ct);
            if (snapshot is null) return null;
            var position = ReplenishmentRule.Nightly(snapshot.Product, snapshot.Available, snapshot.Supply, snapshot.Demand, today, options.DemandWindowDays);
            return await reorder.ApplyAsync(snapshot, position, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // One product's failure (a refusal, the store or the publisher failing, a lost answer) is one error of the
            // run, which goes on: the timer fires once a day, and nothing else would evaluate the rest of the catalogue.
            return new(productId, ReorderResult.Failed, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
