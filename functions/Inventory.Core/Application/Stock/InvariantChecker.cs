using System.Text.Json;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Stock;

/// <summary>
/// What an audit found. <see cref="LedgerEntries"/> counts the entries it read; <see cref="CheckpointSequence"/> is the
/// checkpoint the live balances were verified from (null: none yet, the whole ledger was read). A full audit answers in
/// pages: <see cref="ContinuationToken"/> names the next one, and the ledger holds only if every page holds;
/// <see cref="ArchivedEntries"/> counts the entries of <see cref="LedgerEntries"/> it read from the archive.
/// </summary>
public sealed record InvariantReport(string ProductId, long LedgerEntries, IReadOnlyList<string> Violations, IReadOnlyList<string> Shortages,
    long? CheckpointSequence = null, bool Full = false, string? ContinuationToken = null, long? VerifiedDownTo = null, long ArchivedEntries = 0)
{
    public bool Holds => Violations.Count == 0;
}

/// <summary>
/// Proves a product's books balance. The quick audit (<see cref="CheckAsync"/>) starts at the latest ledger checkpoint:
/// each location's live on-hand and reserved equal the checkpoint's plus the entries after it, each of those entries'
/// after-values follow, the sequence is gapless up to the head, reserved equals what active reservations hold, and nothing
/// is negative; it reads the checkpoint and at most <see cref="LedgerOptions.CheckpointEvery"/> entries (plus one
/// commit's). The full audit (<see cref="CheckFullAsync"/>) goes on from there, newest first, page by page: each checkpoint
/// against the one before it plus the entries between, down to the empty ledger. Reserved above on-hand is a shortage
/// (only a forced adjustment causes it), not corruption.
/// </summary>
public sealed class InvariantChecker(ProductPartitions partitions, ArchivedLedger? archive = null)
{
    /// <summary>Entries a page of the full audit reads before it hands back a token (it finishes the segment it is in).</summary>
    public const int FullAuditPageEntries = 1000;

    public async Task<InvariantReport> CheckAsync(string productId, CancellationToken ct = default)
    {
        try { return (await CheckLiveAsync(productId, ct)).Report; }
        catch (InvalidDataException e) { return Unreadable(productId, e, full: false); }
    }

    /// <summary>
    /// One page of the full audit: the first (no token) is the quick audit, then checkpoint to checkpoint; a product in
    /// escrow then walks each bucket's ledger the same way (its findings named by the bucket), since the quick audit checks
    /// a bucket only from its newest checkpoint up, and no one can audit a bucket's partition alone.
    /// </summary>
    public async Task<InvariantReport> CheckFullAsync(string productId, string? continuationToken = null, CancellationToken ct = default)
    {
        if (BucketAudit.TryParse(continuationToken, out var bucket, out var inner)) return await CheckBucketPageAsync(productId, bucket, inner, ct);
        InvariantReport page;
        try { page = await CheckFullPageAsync(productId, continuationToken, ct); }
        catch (InvalidDataException e) { return Unreadable(productId, e, full: true); }
        return page is { ContinuationToken: null, VerifiedDownTo: 0 } ? await ThenBucketAfterAsync(productId, page, null, ct) : page;
    }

    private async Task<InvariantReport> CheckBucketPageAsync(string productId, int bucket, string? inner, CancellationToken ct)
    {
        if (!(await partitions.BucketsWithRecordsAsync(productId, ct)).Contains(bucket))
            throw new ValidationException("continuationToken", "is not a token this service issued");
        var partition = new EscrowBucket(productId, bucket).Partition;
        InvariantReport page;
        try { page = await CheckFullPageAsync(partition, inner, ct); }
        catch (InvalidDataException e) { page = Unreadable(partition, e, full: true); }
        page = page with
        {
            ProductId = productId,
            Violations = page.Violations.Select(v => $"bucket {bucket}: {v}").ToArray(),
            Shortages = page.Shortages.Select(v => $"bucket {bucket}: {v}").ToArray(),
        };
        if (page.ContinuationToken is { } next) return page with { ContinuationToken = BucketAudit.Format(bucket, next) };
        return page.VerifiedDownTo == 0 ? await ThenBucketAfterAsync(productId, page, bucket, ct) : page;
    }

    /// <summary>The page, going on into the product's next bucket after <paramref name="bucket"/> (null: the product's own ledger), if any.</summary>
    private async Task<InvariantReport> ThenBucketAfterAsync(string productId, InvariantReport page, int? bucket, CancellationToken ct)
    {
        // A bucket only marked (its maker died before making its partition) has no ledger: nothing to walk.
        foreach (var next in (await partitions.BucketsWithRecordsAsync(productId, ct)).Where(b => bucket is null || b > bucket).Order())
            if (await partitions.ExistsAsync(new EscrowBucket(productId, next).Partition, ct))
                return page with { ContinuationToken = BucketAudit.Format(next, null) };
        return page;
    }

    /// <summary>A full audit's token inside a bucket's ledger: <c>b{index}.{the bucket's own token, or nothing at its start}</c>.</summary>
    private static class BucketAudit
    {
        public static string Format(int bucket, string? inner) => $"b{bucket.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{inner}";

        public static bool TryParse(string? token, out int bucket, out string? inner)
        {
            (bucket, inner) = (0, null);
            if (token is not ['b', ..]) return false;
            var dot = token.IndexOf('.', StringComparison.Ordinal);
            if (dot < 2) return false;
            if (!int.TryParse(token.AsSpan(1, dot - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bucket))
                throw new ValidationException("continuationToken", "is not a token this service issued");
            inner = token.Length > dot + 1 ? token[(dot + 1)..] : null;
            return true;
        }
    }

    /// <summary>
    /// Stored data the audit cannot read (a checkpoint part missing, a document empty) is what an audit is for: a finding
    /// that says what, so the ledger does not hold, rather than an error with nothing of the product's books in it.
    /// </summary>
    private static InvariantReport Unreadable(string productId, InvalidDataException e, bool full) =>
        new(productId, 0, [UnreadableFinding(e)], [], Full: full);

    private static string UnreadableFinding(InvalidDataException e) => $"stored data the audit cannot read: {e.Message}";

    private async Task<InvariantReport> CheckFullPageAsync(string productId, string? continuationToken, CancellationToken ct)
    {
        var findings = new List<string>();
        var shortages = new List<string>();
        long read = 0;
        AuditPosition position;
        long? from = null;
        if (continuationToken is null)
        {
            var (report, after) = await CheckLiveAsync(productId, ct);
            findings.AddRange(report.Violations);
            shortages.AddRange(report.Shortages);
            read = report.LedgerEntries;
            from = report.CheckpointSequence;
            if (after is null) return report with { Full = true, VerifiedDownTo = 0 };
            position = after;
        }
        else
        {
            position = AuditPosition.Parse(continuationToken);
            if (!await partitions.ExistsAsync(productId, ct))
                throw new ProductNotFoundException(productId);
        }

        // Segments at or below the newest archived entry are read from the archive (parts end on checkpoints).
        var parts = archive is null ? [] : await archive.Archive.ListAsync(productId, ct);
        var archivedThrough = parts.Count == 0 ? 0 : parts.Max(p => p.LastSequence);
        // "" over a stretch still hot is not what a token says as issued (the hot ledger is read from just below the
        // checkpoint then, and finds the same), but taken as it is it read nothing and reported a sound ledger broken.
        if (position.Ledger is "" && position.Upper > archivedThrough)
            position = position with { Ledger = LedgerPosition.From(position.Upper, LedgerPosition.OneEntryEach).ToToken() };
        long fromArchive = 0;
        var partEntries = new Dictionary<LedgerArchivePart, IReadOnlyList<LedgerEntry>>();
        try
        {
            while (true)
            {
                var upper = await partitions.CheckpointAsync(productId, position.Upper, ct);
                if (upper is null)
                {
                    findings.Add($"checkpoint {position.Upper} is missing: the full audit cannot go below it");
                    return new(productId, read, findings, shortages, from, true, null, position.Upper, fromArchive);
                }
                var (lower, checkpoints) = await PreviousCheckpointAsync(productId, upper, position.Checkpoints, ct);
                List<LedgerEntry> entries;
                string? ledger;
                if (upper.Sequence <= archivedThrough)
                {
                    // Every stretch below is archived too (parts run from the first entry on): the hot ledger's position is done
                    // with. Kept as the last hot stretch left it, it was not below this checkpoint while the part's entries were
                    // still hot (archival between its write and its deletes), and Parse refused the token issued.
                    entries = await ArchivedBetweenAsync(parts, partEntries, lower.Sequence, upper.Sequence, ct);
                    fromArchive += entries.Count;
                    ledger = "";
                }
                else
                {
                    (entries, ledger) = await EntriesDownToAsync(productId, lower.Sequence, upper.Sequence - lower.Sequence, position.Ledger, ct);
                    if (archive is not null && entries.Count < upper.Sequence - lower.Sequence
                        && await archive.Archive.ListAsync(productId, ct) is { Count: > 0 } now && now.Max(p => p.LastSequence) >= upper.Sequence)
                    {
                        // Short because archival moved the stretch since the parts were listed (its part is written before its
                        // hot entries are deleted): read it, and every stretch below, from the archive.
                        (parts, archivedThrough) = (now, now.Max(p => p.LastSequence));
                        entries = await ArchivedBetweenAsync(parts, partEntries, lower.Sequence, upper.Sequence, ct);
                        fromArchive += entries.Count;
                        ledger = "";
                    }
                }
                read += entries.Count;
                LedgerSegment.Verify(lower, entries, upper.Sequence, LedgerSegment.StateOf(upper), $"checkpoint {upper.Sequence}", findings);
                if (lower.Sequence == 0) return new(productId, read, findings, shortages, from, true, null, 0, fromArchive);
                position = new AuditPosition(lower.Sequence, checkpoints, ledger);
                if (read >= FullAuditPageEntries) return new(productId, read, findings, shortages, from, true, position.ToToken(), lower.Sequence, fromArchive);
            }
        }
        catch (InvalidDataException e)
        {
            // What this page found so far stands; the walk cannot go below the stretch it could not read.
            findings.Add(UnreadableFinding(e));
            return new(productId, read, findings, shortages, from, true, null, position.Upper, fromArchive);
        }
    }

    /// <summary>The quick audit, and where a full audit goes on from (null when it reached the empty ledger).</summary>
    /// <summary>
    /// The live check. A product in escrow is checked against its buckets, read after it: a grant whose two halves landed
    /// between those reads would read as a bucket holding more than the product holds for it, so a check during which the
    /// product's head changed is made again (a sound product was reported corrupt).
    /// </summary>
    private async Task<(InvariantReport Report, AuditPosition? Next)> CheckLiveAsync(string productId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await partitions.LoadAsync(productId, new StockRead([], [], AllReservations: true), ct) ?? throw new ProductNotFoundException(productId);
            var result = await CheckLiveAsync(loaded.Stock, ct);
            if (loaded.Stock.EscrowBuckets.Count == 0 || attempt == MaxTornChecks
                || await partitions.StateMarkAsync(productId, ct) == loaded.StateMark) return result;
        }
    }

    private const int MaxTornChecks = 5;

    private async Task<(InvariantReport Report, AuditPosition? Next)> CheckLiveAsync(ProductStock stock, CancellationToken ct)
    {
        var productId = stock.ProductId;
        var violations = new List<string>();
        var shortages = new List<string>();

        // Bounded by the head read: a commit landing meanwhile (its entries, its checkpoint) is not of this state.
        var (latest, checkpoints) = await NewestCheckpointAsync(productId, null, ct);
        while (latest is not null && latest.Sequence > stock.LedgerSequence)
            (latest, checkpoints) = checkpoints is null ? (null, null) : await NewestCheckpointAsync(productId, checkpoints, ct);
        var lower = latest ?? LedgerCheckpoint.Origin(productId);
        var (entries, ledger) = await EntriesDownToAsync(productId, lower.Sequence, stock.LedgerSequence - lower.Sequence,
            new LedgerPosition(null, stock.LedgerSequence + 1, LedgerPosition.OneEntryEach, []).ToToken(), ct);
        var live = stock.Balances.ToDictionary(b => b.LocationId, b => (b.QuantityOnHand, b.QuantityReserved), StringComparer.Ordinal);
        LedgerSegment.Verify(lower, entries, stock.LedgerSequence, live, "the head", violations);

        var held = stock.LoadedReservations().Where(r => r.Status == ReservationStatus.Active).SelectMany(r => r.Allocations)
            .GroupBy(a => a.LocationId).ToDictionary(g => g.Key, g => g.Sum(a => a.Remaining));
        foreach (var b in stock.Balances)
        {
            var activeHeld = held.GetValueOrDefault(b.LocationId);
            if (b.QuantityReserved != activeHeld) violations.Add($"{b.LocationId}: reserved {b.QuantityReserved} but active reservations hold {activeHeld}");
            if (b.QuantityOnHand < 0 || b.QuantityReserved < 0) violations.Add($"{b.LocationId}: negative balance");
            if (b.QuantityReserved > b.QuantityOnHand) shortages.Add($"{b.LocationId}: reserved {b.QuantityReserved} exceeds on-hand {b.QuantityOnHand}");
        }
        foreach (var orphan in entries.Where(e => e.TxnType != TxnType.Mark).Select(e => e.LocationId).Concat(lower.Balances.Select(b => b.LocationId)).Concat(held.Keys)
                     .Distinct().Where(l => stock.Balance(l) is null))
            violations.Add($"{orphan}: ledger or reservations name a location with no balance");

        foreach (var holder in stock.LoadedReservations().Where(r => EscrowBucket.IsHolder(r.OrderId)))
        {
            if (holder.Remaining > 0 && !stock.EscrowBuckets.Contains(int.Parse(holder.OrderId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)))
                violations.Add($"the product holds {holder.Remaining} for bucket {holder.OrderId[1..]}, which its head does not list");
            try { await CheckBucketAsync(stock.Product, holder, violations, shortages, ct); }
            catch (InvalidDataException e) { violations.Add($"bucket {holder.OrderId[1..]}: {UnreadableFinding(e)}"); } // the product's own findings stand
        }

        var report = new InvariantReport(productId, entries.Count, violations, shortages, latest?.Sequence);
        return (report, latest is null ? null : new AuditPosition(latest.Sequence, checkpoints, ledger));
    }

    /// <summary>
    /// An escrow bucket's own books, and that it never has more on hand at a location than the product holds for it there
    /// (less is a move in flight: a grant not admitted yet, a return or a shipment not settled yet), and that its copy of
    /// the product's document, on which its orders are decided, is the product's.
    /// </summary>
    private async Task CheckBucketAsync(Product product, ProductReservation holder, List<string> violations, List<string> shortages, CancellationToken ct)
    {
        var bucket = new EscrowBucket(product.ProductId, int.Parse(holder.OrderId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture));
        if (await partitions.StockAsync(bucket.Partition, ct, withBuckets: false) is not { } stock) return; // granted, not admitted yet
        if (stock.Product != product with { ProductId = bucket.Partition })
            violations.Add($"bucket {bucket.Index}: its copy of the product is not the product's (save the product again to copy it)");
        var (report, _) = await CheckLiveAsync(bucket.Partition, ct);
        violations.AddRange(report.Violations.Select(v => $"bucket {bucket.Index}: {v}"));
        shortages.AddRange(report.Shortages.Select(v => $"bucket {bucket.Index}: {v}"));
        var held = holder.Allocations.GroupBy(a => a.LocationId).ToDictionary(g => g.Key, g => g.Sum(a => a.Remaining));
        foreach (var b in stock.Balances.Where(b => b.QuantityOnHand > held.GetValueOrDefault(b.LocationId)))
            violations.Add($"bucket {bucket.Index}: {b.QuantityOnHand} on hand at {b.LocationId}, but the product holds {held.GetValueOrDefault(b.LocationId)} for it");
    }

    /// <summary>The newest checkpoint after the query position <paramref name="token"/> (null: from the newest of all).</summary>
    private async Task<(LedgerCheckpoint? Checkpoint, string? Token)> NewestCheckpointAsync(string productId, string? token, CancellationToken ct)
    {
        do
        {
            var (page, next) = await PageAsync(() => partitions.CheckpointPageAsync(productId, 1, token, ct));
            token = next;
            if (page.Count > 0) return (page[0], token);
        } while (token is not null);
        return (null, null);
    }

    private async Task<(LedgerCheckpoint Lower, string? Token)> PreviousCheckpointAsync(string productId, LedgerCheckpoint upper, string? token, CancellationToken ct)
    {
        var (previous, next) = await NewestCheckpointAsync(productId, token, ct);
        return previous is { } p && p.Sequence < upper.Sequence ? (p, next) : (LedgerCheckpoint.Origin(productId), null);
    }

    /// <summary>
    /// The entries above <paramref name="lowerSequence"/>, newest first from the query position <paramref name="token"/>,
    /// asking for the <paramref name="expected"/> entries between. With entries missing it reads past the bound; those are
    /// not of this segment and are left out (the gap is a finding). The position returned goes on just below the bound
    /// (<see cref="LedgerPosition.From"/>), however far the read went, so a gap is reported in its own stretch only (carried
    /// on, the read past it made every stretch below start one entry short, each reported as a gap, and the position no
    /// longer below its checkpoint refused the token as not issued); it is "" once the ledger has no more entries.
    /// </summary>
    private async Task<(List<LedgerEntry> Entries, string? Token)> EntriesDownToAsync(string productId, long lowerSequence, long expected,
        string? token, CancellationToken ct)
    {
        var entries = new List<LedgerEntry>();
        while (entries.Count < expected && token is not "")
        {
            var (read, next) = await PageAsync(() => partitions.LedgerPageAsync(productId, (int)Math.Clamp(expected - entries.Count, 1, StockQueries.MaxPageSize), token, ct));
            token = next ?? "";
            entries.AddRange(read.Where(e => e.Sequence > lowerSequence));
            if (read.Any(e => e.Sequence <= lowerSequence)) break;
        }
        // The lower bound is a checkpoint (or the origin), a commit's last entry: no pack straddles it.
        if (lowerSequence > 0 && token is not "")
            token = LedgerPosition.From(lowerSequence, LedgerPosition.Parse(token).Density).ToToken();
        return (entries, token);
    }

    /// <summary>The archived entries in (lower, upper], from the parts that hold them (each part read once a page).</summary>
    private async Task<List<LedgerEntry>> ArchivedBetweenAsync(IReadOnlyList<LedgerArchivePart> parts, Dictionary<LedgerArchivePart, IReadOnlyList<LedgerEntry>> read,
        long lower, long upper, CancellationToken ct)
    {
        var entries = new List<LedgerEntry>();
        foreach (var part in parts.Where(p => p.LastSequence > lower && p.FirstSequence <= upper))
        {
            if (!read.TryGetValue(part, out var all)) read[part] = all = await archive!.ReadPartAsync(part, ct);
            entries.AddRange(all.Where(e => e.Sequence > lower && e.Sequence <= upper));
        }
        return entries;
    }

    private static async Task<T> PageAsync<T>(Func<Task<T>> page)
    {
        try { return await page(); }
        catch (InvalidContinuationTokenException) { throw new ValidationException("continuationToken", "is not a token this service issued"); }
    }

    /// <summary>Where a full audit goes on: the checkpoint to verify next and the store's positions just below it.</summary>
    private sealed record AuditPosition(long Upper, string? Checkpoints, string? Ledger)
    {
        public string ToToken() => JsonSerializer.Serialize(this);

        /// <summary>
        /// As issued, the ledger position goes on just below the checkpoint (entries below <c>Upper + 1</c>); one that does
        /// not (the checkpoint or the position edited, the position left out) would verify the wrong entries against it.
        /// </summary>
        public static AuditPosition Parse(string token)
        {
            try
            {
                // "": the hot ledger was read to its end, or a stretch came from the archive: the next ones come from it too.
                if (JsonSerializer.Deserialize<AuditPosition>(token) is { Upper: > 0, Ledger: { } ledger } p
                    && (ledger.Length == 0 || LedgerPosition.Parse(ledger).Below == p.Upper + 1))
                    return p;
            }
            catch (Exception e) when (e is JsonException or InvalidContinuationTokenException) { }
            throw new ValidationException("continuationToken", "is not a token this service issued");
        }
    }
}
