using System.Diagnostics;
using System.Globalization;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Counts;

/// <summary>Where a recorded count stands, with a page of its rows' outcomes (those recorded so far, in file order).</summary>
public sealed record CountStatus(string CountId, CountState Status, int Rows, int ProcessedRows, int Applied, int Replayed, int Failed,
    DateTimeOffset AcceptedAt, DateTimeOffset? CompletedAt, IReadOnlyList<string> Warnings, IReadOnlyList<CountRowOutcome> Results,
    string? ContinuationToken);

public sealed record CountResumeResult(int Open, int Resumed, int Completed, int Failed);

public sealed class CountNotFoundException(string countId)
    : DomainException("count-not-found", $"No count '{countId}' is recorded (a count small enough to be applied in its request is not recorded).")
{
    public string CountId { get; } = countId;
}

public sealed class CountConflictException(string countId)
    : DomainException("count-conflict", $"Count '{countId}' was sent before with other rows; nothing was applied. Use a new countId for a new count.")
{
    public string CountId { get; } = countId;
}

/// <summary>
/// Counts too large for one request: recorded first (header, rows in chunks, an entry in the open-count index), then
/// applied window by window by whoever holds the count's lease: the request that sent it, for as long as its budget
/// allows, then <see cref="ResumeOpenAsync"/> on a timer. Each window's outcomes are recorded with the header's progress
/// in one transaction, so a chunk is counted once; a crash between applying a window and recording it only makes those
/// rows replay (their adjustments are idempotent) when the window runs again.
/// </summary>
/// <remarks>Each window's movements are handed to <paramref name="afterCommit"/> once (location loads).</remarks>
public sealed class RecordedCounts(CountBook book, Func<CountPass> pass, AfterStockCommit afterCommit, CountOptions options, TimeProvider clock)
{
    public const int MaxPageSize = 1_000;
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(60);

    public async Task<bool> ExistsAsync(string countId, CancellationToken ct) => await book.ReadAsync(countId, ct) is not null;

    /// <summary>Records the count (or finds it recorded with the same rows) and applies it for up to <paramref name="budget"/>.</summary>
    public async Task<CountStatus> SubmitAsync(CountCommand c, TimeSpan budget, CancellationToken ct)
    {
        var (record, etag) = await AcceptAsync(c, ct);
        return await RunAsync(record, etag, budget, ct);
    }

    private async Task<(CountRecord, string)> AcceptAsync(CountCommand c, CancellationToken ct)
    {
        var hash = CountBook.HashOf(c.Rows);
        // A product and location counted twice: the later row fails, marked here since windows are applied apart.
        var chunks = CountBook.Chunk(await pass().MarkRepeatsAsync(c.Rows, ct));
        var now = clock.GetUtcNow();
        var order = CountBook.OrderHashOf(c.Rows);
        await book.CreateAsync(new CountRecord
        {
            CountId = c.CountId, ContentHash = hash, RowsOrder = order, PerformedBy = c.PerformedBy, Rows = c.Rows.Count, Chunks = chunks.Count,
            State = CountState.Receiving, AcceptedAt = now,
        }, ct);
        var (record, etag) = await ReadAsync(c.CountId, ct);
        if (!CountBook.IsHashOf(record.ContentHash, c.Rows)) throw new CountConflictException(c.CountId);
        if (record.State != CountState.Receiving) return (record, etag);
        if (record.RowsOrder is { } recorded && recorded != order)
        {
            // The same rows in another order, while the first send's chunks may be half written (it crashed, or is still
            // at it): finished from this order they would mix the two, some rows twice and some never. So this send takes
            // the count over in a new generation of chunks; the other's header writes, under the ETag it read, then fail.
            record = record with { RowsOrder = order, Generation = record.Generation + 1, Chunks = chunks.Count };
            var taken = record;
            if (!await OptimisticConcurrency.TryAsync(async () => etag = await book.ReplaceAsync(taken, etag, [], ct)))
                return await ReadAsync(c.CountId, ct); // the other send moved it on first
        }
        // Rows first, then the open index, then the state: a count is Pending only once all of it can be resumed.
        await book.WriteChunksAsync(c.CountId, record.Generation, chunks, ct);
        await book.EnlistAsync(c.CountId, now, ct);
        // Lost only to a concurrent retry of the same count, which got there first.
        await OptimisticConcurrency.TryAsync(() => book.ReplaceAsync(record with { State = CountState.Pending }, etag, [], ct));
        return await ReadAsync(c.CountId, ct);
    }

    /// <summary>
    /// Takes the lease (unless another run holds it) and applies windows until done or out of budget; then completes the
    /// count, or lets the lease go so the timer carries on. Answers the status with the first page of outcomes.
    /// </summary>
    private async Task<CountStatus> RunAsync(CountRecord record, string etag, TimeSpan budget, CancellationToken ct)
    {
        // The caller's cancellation (a client gone) stops the run between store calls; its lease then runs out and the timer carries on.
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        if (record.State == CountState.Completed)
        {
            await book.DelistAsync(record.CountId, ct); // left by a crash after completing
            return await StatusAsync(record, null, MaxPageSize, ct);
        }
        if (record.State == CountState.Receiving || record.LeaseUntil > now || budget <= TimeSpan.Zero) return await StatusAsync(record, null, MaxPageSize, ct);
        var kept = await OptimisticConcurrency.TryAsync(async () =>
        {
            record = record with { State = CountState.Running, LeaseUntil = now + budget + LeaseMargin };
            etag = await book.ReplaceAsync(record, etag, [], ct);
            while (record.NextChunk < record.Chunks && Stopwatch.GetElapsedTime(started) < budget)
                (record, etag) = await ApplyWindowAsync(record, etag, budget - Stopwatch.GetElapsedTime(started), ct);
            record = record.NextChunk == record.Chunks
                ? record with { State = CountState.Completed, CompletedAt = clock.GetUtcNow(), LeaseUntil = null }
                : record with { LeaseUntil = clock.GetUtcNow() }; // out of budget: the next timer run may take it at once
            await book.ReplaceAsync(record, etag, [], ct);
            if (record.State == CountState.Completed) await book.DelistAsync(record.CountId, ct);
        });
        // Lost: another run took the count over (this one's lease ran out): its record stands; nothing here is lost,
        // since rows applied but not recorded replay when that run reaches them.
        if (!kept) (record, _) = await ReadAsync(record.CountId, ct);
        return await StatusAsync(record, null, MaxPageSize, ct);
    }

    private async Task<(CountRecord, string)> ApplyWindowAsync(CountRecord record, string etag, TimeSpan remaining, CancellationToken ct)
    {
        var count = Math.Min(record.Chunks - record.NextChunk, Math.Max(1, options.WindowRows / CountBook.MaxRowsPerChunk));
        var chunks = await book.ReadChunksAsync(record, record.NextChunk, count, ct);
        var rows = chunks.SelectMany(c => c.Rows).ToArray();
        var result = await pass().RunAsync(record.CountId, record.PerformedBy, rows, ct);
        var warnings = result.Warnings.ToList();
        try { await afterCommit.RunAsync(new StockChanged(result.Moved, []), ct); }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            warnings.Add($"Rows up to line {rows[^1].Line} are recorded, but their locations' weight and volume were not updated: {e.Message}");
        }

        var outcomes = new Queue<CountRowOutcome>(result.Outcomes);
        var results = chunks.Select(c => new CountChunkResult(c.Index, c.Rows.Select(_ => Compact(outcomes.Dequeue())).ToArray())).ToArray();
        var byIndex = results.ToDictionary(r => r.Index);
        foreach (var group in book.Batches(results.Select(CountBook.ResultWrite).ToArray()))
        {
            var recorded = group.Select(w => byIndex[int.Parse(w.Id.AsSpan("result|".Length), CultureInfo.InvariantCulture)].Rows).ToArray();
            int Of(CountRowStatus s) => recorded.Sum(r => r.Count(x => x.Status == s));
            record = record with
            {
                NextChunk = record.NextChunk + group.Count,
                ProcessedRows = record.ProcessedRows + recorded.Sum(r => r.Count),
                Applied = record.Applied + Of(CountRowStatus.Applied),
                Replayed = record.Replayed + Of(CountRowStatus.Replayed),
                Failed = record.Failed + Of(CountRowStatus.Failed),
                LeaseUntil = clock.GetUtcNow() + remaining + LeaseMargin,
                Warnings = [.. record.Warnings, .. warnings.Take(CountBook.MaxWarnings - record.Warnings.Count)],
            };
            warnings.Clear();
            etag = await book.ReplaceAsync(record, etag, group, ct);
        }
        return (record, etag);
    }

    private static CountRowResult Compact(CountRowOutcome o) => new(o.Status, o.ProductId, o.QuantityOnHand, o.Code,
        o.Error is { Length: > CountBook.MaxErrorChars } e ? e[..(CountBook.MaxErrorChars - 1)] + "…" : o.Error);

    /// <summary>
    /// Carries on every open count whose lease has run out (the timer): each for up to <see cref="CountOptions.ResumeSeconds"/>.
    /// A count that fails now (the store down) stays open for the next run.
    /// </summary>
    public async Task<CountResumeResult> ResumeOpenAsync(CancellationToken ct = default)
    {
        int open = 0, resumed = 0, completed = 0, failed = 0;
        await foreach (var entry in book.OpenAsync(ct))
        {
            open++;
            try
            {
                var found = await book.ReadAsync(entry.CountId, ct);
                if (found is null) continue; // enlisted after its header: cannot happen; left for an operator to see
                var (record, etag) = found.Value;
                if (record.State != CountState.Completed && (record.State == CountState.Receiving || record.LeaseUntil > clock.GetUtcNow())) continue;
                resumed++;
                if ((await RunAsync(record, etag, TimeSpan.FromSeconds(options.ResumeSeconds), ct)).Status == CountState.Completed) completed++;
            }
            catch (Exception e) when (e is StoreFailureException or DomainException or SharedCommitFailedException or TransactionTooLargeException
                or InvalidDataException)
            {
                failed++; // stays open for the next run (and the log's count of failures); the counts after it go on
            }
        }
        return new CountResumeResult(open, resumed, completed, failed);
    }

    /// <summary>The status of a recorded count, with up to <paramref name="pageSize"/> rows' outcomes from <paramref name="continuationToken"/>.</summary>
    public async Task<CountStatus> StatusAsync(string countId, string? continuationToken, int pageSize, CancellationToken ct = default)
    {
        new Guard().Id("countId", countId).That(pageSize is >= 1 and <= MaxPageSize, "pageSize", $"must be between 1 and {MaxPageSize}").ThrowIfAny();
        var found = await book.ReadAsync(countId, ct);
        if (found is not { Record.State: not CountState.Receiving } f) throw new CountNotFoundException(countId);
        return await StatusAsync(f.Record, continuationToken, pageSize, ct);
    }

    /// <summary>
    /// Up to <paramref name="pageSize"/> outcomes from where the token points: the chunks that hold them are read and the
    /// page is cut at the row, so the next token names a chunk and a row within it (<see cref="CountPageToken"/>).
    /// </summary>
    private async Task<CountStatus> StatusAsync(CountRecord record, string? continuationToken, int pageSize, CancellationToken ct)
    {
        var (start, skip) = continuationToken is null ? (0, 0) : CountPageToken.Read(continuationToken, record);
        // A chunk holds at most MaxRowsPerChunk rows: these chunks hold the page unless some are shorter (then the page is).
        var end = Math.Min(record.NextChunk, start + (skip + pageSize + CountBook.MaxRowsPerChunk - 1) / CountBook.MaxRowsPerChunk);
        var outcomes = new List<CountRowOutcome>();
        CountStatus Page(int chunk, int row) => new(record.CountId, record.State, record.Rows, record.ProcessedRows, record.Applied,
            record.Replayed, record.Failed, record.AcceptedAt, record.CompletedAt, record.Warnings, outcomes,
            chunk < record.NextChunk ? CountPageToken.Write(chunk, row) : null);
        if (end <= start) return Page(end, 0);

        var chunks = book.ReadChunksAsync(record, start, end - start, ct);
        var results = (await book.ReadResultsAsync(record.CountId, start, end - start, ct)).ToDictionary(r => r.Index);
        foreach (var chunk in await chunks)
        {
            var first = chunk.Index == start ? skip : 0;
            if (first >= chunk.Rows.Count) throw CountPageToken.NotIssued(); // a row past the chunk's end
            for (var i = first; i < chunk.Rows.Count; i++)
            {
                if (outcomes.Count == pageSize) return Page(chunk.Index, i);
                outcomes.Add(Outcome(record.CountId, chunk.Rows[i], results[chunk.Index].Rows[i]));
            }
        }
        return Page(end, 0);
    }

    private static CountRowOutcome Outcome(string countId, CountRow row, CountRowResult r) => new(row.Line, r.Status, row.LocationId,
        r.ProductId, row.Sku, row.CountedQuantity, r.Code != "validation-failed" && r.ProductId is { } p && row.LocationId is { } l ? StockCount.AdjustmentId(countId, p, l) : null,
        r.QuantityOnHand, r.Code, r.Error);

    private async Task<(CountRecord, string)> ReadAsync(string countId, CancellationToken ct) =>
        await book.ReadAsync(countId, ct) ?? throw new CountNotFoundException(countId);
}
