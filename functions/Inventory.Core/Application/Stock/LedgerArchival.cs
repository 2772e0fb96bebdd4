using System.Globalization;
using Inventory.Application.Catalog;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Stock;

/// <summary>What archiving one product did; <see cref="Problem"/> says why it stopped short (nothing was lost either way).</summary>
public sealed record ProductArchival(string ProductId, int PartsWritten, long EntriesMoved, long LeftoversRemoved, string? Problem = null);

/// <summary>A run over the catalogue. <see cref="Enabled"/> is false when Ledger:ArchiveAfterDays or the archive is not set.</summary>
public sealed record LedgerArchivalRun(bool Enabled, long Products, int PartsWritten, long EntriesMoved, long LeftoversRemoved, long Errors,
    IReadOnlyList<string> ErrorSamples);

/// <summary>
/// Moves ledger entries older than the retention window (<see cref="LedgerOptions.ArchiveAfterDays"/>) out of the hot
/// store, one part per product and month: the entries up to the last checkpoint of a month that ended before the
/// window, since the previous part. Checkpoints stay hot (one document per K entries), so the audit and the full
/// audit still find every boundary. The order makes it safe to stop anywhere: a part is written (create-only) and
/// confirmed before its hot entries are deleted, in ascending chunks, the part's last entry last. A run first finishes
/// the deletes of the newest part if its last entry is still hot; a part is a deterministic function of the ledger
/// (its bounds are checkpoints, its month the checkpoint's), so a rerun or a concurrent run writes the same part or
/// finds it written: never a gap (nothing deleted before its part is confirmed), never a duplicate (parts do not
/// overlap, and readers take the archive only below the oldest hot entry they saw).
/// </summary>
public sealed class LedgerArchival(ProductPartitions partitions, ArchivedLedger? archive, CatalogIndex index, TimeProvider clock)
{
    private const int KeptErrorSamples = 20;
    private const int Parallelism = 4;

    public bool Enabled => archive is not null && partitions.Ledger.ArchiveAfterDays is not null;

    /// <summary>Every product of the catalogue index, a page at a time, a few products at once.</summary>
    public async Task<LedgerArchivalRun> ExecuteAsync(CancellationToken ct = default)
    {
        if (!Enabled) return new(false, 0, 0, 0, 0, 0, []);
        long products = 0, moved = 0, leftovers = 0, errors = 0;
        var parts = 0;
        var samples = new List<string>();
        string? token = null;
        do
        {
            var page = await index.ReadAsync(100, token, ct);
            token = page.ContinuationToken;
            var results = new System.Collections.Concurrent.ConcurrentBag<ProductArchival>();
            await Parallel.ForEachAsync(page.Rows, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (row, c) =>
            {
                foreach (var partition in await LedgersOfAsync(row.Entry.ProductId, results, c))
                {
                    try { results.Add(await ArchiveAsync(partition, c)); }
                    catch (Exception e) when (e is StoreFailureException or CommitConflictException or InvalidDataException)
                    {
                        results.Add(new(partition, 0, 0, 0, e.Message));
                    }
                }
            });
            products += page.Rows.Count;
            foreach (var r in results)
            {
                parts += r.PartsWritten;
                moved += r.EntriesMoved;
                leftovers += r.LeftoversRemoved;
                if (r.Problem is null) continue;
                errors++;
                if (samples.Count < KeptErrorSamples) samples.Add($"{r.ProductId}: {r.Problem}");
            }
        } while (token is not null);
        return new(true, products, parts, moved, leftovers, errors, samples);
    }

    /// <summary>
    /// The ledgers of a product: its partition's, and each escrow bucket's its head lists (a hot product's orders write
    /// theirs there). A failure to read the head is recorded and leaves the buckets to the next run.
    /// </summary>
    private async Task<IReadOnlyList<string>> LedgersOfAsync(string productId, System.Collections.Concurrent.ConcurrentBag<ProductArchival> results,
        CancellationToken ct)
    {
        try { return [productId, .. (await partitions.BucketsAsync(productId, ct)).Select(b => new EscrowBucket(productId, b).Partition)]; }
        catch (Exception e) when (e is StoreFailureException or InvalidDataException)
        {
            results.Add(new(productId, 0, 0, 0, "its escrow buckets were not read: " + e.Message));
            return [productId];
        }
    }

    /// <summary>Archives one partition's months (a product's, or an escrow bucket's) that ended before the retention window.</summary>
    public async Task<ProductArchival> ArchiveAsync(string productId, CancellationToken ct = default)
    {
        if (archive is null || partitions.Ledger.ArchiveAfterDays is not { } days)
            throw new InvalidOperationException("Ledger archival needs Ledger:ArchiveAfterDays and an archive.");
        var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(days);
        var openMonth = MonthOf(new DateTimeOffset(cutoff, TimeSpan.Zero)); // this month and later are not archived yet

        var parts = await archive.Archive.ListAsync(productId, ct);
        var newest = parts.Count == 0 ? null : parts.MaxBy(p => p.LastSequence);
        var leftovers = newest is null ? 0 : await RemoveHotAsync(newest, ct);
        var archived = newest?.LastSequence ?? 0;

        // Months in sequence order: a checkpoint's month never goes below the one before it (clocks of instances differ).
        var months = new List<(string Month, long Upper)>();
        var month = newest?.Month;
        // The newest ledger document carries the product's state: a later commit must exist before it may go.
        var newestHot = await partitions.NewestLedgerSequenceAsync(productId, ct);
        foreach (var checkpoint in await CheckpointsAboveAsync(productId, archived, ct))
        {
            if (checkpoint.Sequence >= newestHot) break;
            var m = MonthOf(checkpoint.CreatedAt);
            if (month is not null && string.CompareOrdinal(m, month) < 0) m = month;
            if (string.CompareOrdinal(m, openMonth) >= 0) break;
            if (months.Count > 0 && months[^1].Month == m) months[^1] = (m, checkpoint.Sequence);
            else months.Add((m, checkpoint.Sequence));
            month = m;
        }

        var written = 0;
        long movedEntries = 0;
        var lower = archived;
        foreach (var (m, upper) in months)
        {
            var part = new LedgerArchivePart(productId, m, lower + 1, upper);
            var hot = await partitions.LedgerEntriesAsync(productId, part.FirstSequence, part.LastSequence, ct);
            if (hot.Count != part.Entries)
            {
                // Another run may have moved them meanwhile; otherwise the hot ledger has a gap this run must not hide.
                if ((await archive.Archive.ListAsync(productId, ct)).Contains(part))
                {
                    // Written by another run, which may have stopped midway through its deletes: finished here, or its
                    // entries stayed hot below a newer part and the ledger route skipped the months between.
                    leftovers += await RemoveHotAsync(part, ct);
                    lower = upper;
                    continue;
                }
                return new(productId, written, movedEntries, leftovers,
                    $"entries {part.FirstSequence}..{part.LastSequence}: {part.Entries - hot.Count} missing from the hot ledger; not archived (the full audit reports the gap)");
            }
            if (await archive.Archive.WriteAsync(part, ArchivedLedger.Encode(hot.Select(e => e.Entry).OrderBy(e => e.Sequence)), ct)) written++;
            movedEntries += await partitions.DeleteLedgerEntriesAsync(productId, hot, ct);
            lower = upper;
        }
        return new(productId, written, movedEntries, leftovers);
    }

    public static string MonthOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The hot checkpoints above <paramref name="archived"/>, oldest first (they are stored newest first).</summary>
    private async Task<List<LedgerCheckpoint>> CheckpointsAboveAsync(string productId, long archived, CancellationToken ct)
    {
        var found = new List<LedgerCheckpoint>();
        string? token = null;
        do
        {
            var (page, next) = await partitions.CheckpointPageAsync(productId, 1000, token, ct);
            token = next;
            foreach (var c in page)
            {
                if (c.Sequence <= archived) { token = null; break; }
                found.Add(c);
            }
        } while (token is not null);
        found.Reverse();
        return found;
    }

    /// <summary>Deletes what is still hot of an archived part (after a crash between its write and its deletes).</summary>
    private async Task<long> RemoveHotAsync(LedgerArchivePart part, CancellationToken ct) =>
        await partitions.HasLedgerEntryAsync(part.ProductId, part.LastSequence, ct)
            ? await partitions.DeleteLedgerEntriesAsync(part.ProductId, await partitions.LedgerEntriesAsync(part.ProductId, part.FirstSequence, part.LastSequence, ct), ct)
            : 0;
}
