using System.Collections.Concurrent;
using Inventory.Application.Catalog;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Counts;

/// <summary>What one pass over counted rows did: each row's outcome, the ledger entries it wrote (for location loads), and warnings.</summary>
public sealed record CountPassResult(CountRowOutcome[] Outcomes, IReadOnlyList<StockMoved> Moved, IReadOnlyList<string> Warnings);

/// <summary>
/// Applies counted rows, fast: SKUs and locations are read once, rows are checked, then grouped by product; a product's
/// rows are decided one after the other on one loaded state (a refused row rolled back alone) and committed together,
/// as many as one transaction of the store takes, and products run in parallel. Every row stays an idempotent ADJUST
/// keyed by its adjustment id, with its own ledger entry and outcome.
/// </summary>
/// <remarks>
/// After each product's rows, <paramref name="afterCommit"/> runs with the level they left as a drop (the reorder trigger);
/// the movements are returned instead, so the caller hands them to the same step once per pass (location loads: one
/// commit per warehouse rather than one per product).
/// </remarks>
public sealed class CountPass(StockCommitter committer, CatalogQueries catalog, TimeProvider clock, AfterStockCommit? afterCommit)
{
    /// <summary>Products applied at once: enough to keep a store busy, few enough not to starve other requests.</summary>
    public const int Parallelism = 16;

    /// <summary>Where a counted product in escrow's buckets give back their free units first, as an adjustment's do (null: no escrow).</summary>
    public Escrow.EscrowBuckets? Escrow { get; init; }

    /// <summary>Brings the balances counted to their locations' types if a retype raced the pass (null: not checked).</summary>
    public BalanceTypeCopies? Types { get; init; }

    /// <summary>Each product and location a row of this pass wrote or replayed, with the balance its operation record says was committed.</summary>
    private readonly ConcurrentDictionary<(string ProductId, string LocationId), StockBalance> written = new();

    private sealed record Work(int Index, CountRow Row, string ProductId, string AdjustmentId, Location? Location = null);

    public async Task<CountPassResult> RunAsync(string countId, string performedBy, IReadOnlyList<CountRow> rows, CancellationToken ct)
    {
        var skus = await ResolveSkusAsync(rows, ct);
        var outcomes = new CountRowOutcome[rows.Count];
        var work = new List<Work>();
        var firstLine = new Dictionary<(string, string), int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var productId = row.ProductId ?? (row.Sku is { } sku ? skus.GetValueOrDefault(sku) : null);
            var error = Check(row, productId, skus);
            if (error is null && !firstLine.TryAdd((productId!, row.LocationId!), row.Line))
                error = Repeat(firstLine[(productId!, row.LocationId!)]);
            if (error is not null) outcomes[i] = Failed(row, productId, null, "validation-failed", $"{error.Field}: {error.Message}");
            else work.Add(new Work(i, row, productId!, StockCount.AdjustmentId(countId, productId!, row.LocationId!)));
        }

        var moved = new ConcurrentQueue<StockMoved>();
        var warnings = new ConcurrentQueue<string>();
        var products = work.GroupBy(w => w.ProductId, StringComparer.Ordinal).ToArray();
        await Parallel.ForEachAsync(products, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (group, token) =>
        {
            var located = new List<Work>();
            foreach (var w in group)
            {
                try { located.Add(w with { Location = await catalog.GetLocationAsync(w.Row.LocationId!, token) }); }
                catch (DomainException e) { outcomes[w.Index] = Failed(w.Row, w.ProductId, w.AdjustmentId, e.Code, e.Message); }
            }
            StockLevel? level = null;
            foreach (var slice in located.Chunk(RowsPerCommit))
                level = await CommitAsync(group.Key, slice, performedBy, outcomes, moved, token) ?? level;
            if (level is not null && afterCommit is not null)
            {
                try { await afterCommit.RunAsync(new StockChanged([], [level]), token); }
                catch (DomainException e) { warnings.Enqueue($"The reorder check of product '{group.Key}' failed ({e.Message}); the nightly scan will look again."); }
            }
        });
        await FollowTypesAsync(ct);
        return new CountPassResult(outcomes, moved.ToArray(), warnings.ToArray());
    }

    /// <summary>
    /// Once every commit of the pass is done, each location written is read once, and the balances whose copy of its type
    /// is not the type read are brought to it (<see cref="BalanceTypeCopies"/>): a read per location, not per row.
    /// </summary>
    private async Task FollowTypesAsync(CancellationToken ct)
    {
        if (Types is null || written.IsEmpty) return;
        var now = new ConcurrentDictionary<string, LocationType?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(written.Values.DistinctBy(b => b.LocationId), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (b, token) => now[b.LocationId] = await Types.TypeOfAsync(b.WarehouseId, b.LocationId, token));
        var stale = written.Where(w => now[w.Key.LocationId] is { } type && type != w.Value.LocationType).ToArray();
        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (w, token) => await Types.CatchUpAsync(w.Key.ProductId, w.Value, now[w.Key.LocationId]!.Value, token));
    }

    /// <summary>Rows of one product in one transaction: each writes its balance, its operation record and its ledger entry; plus the head.</summary>
    private int RowsPerCommit => Math.Max(1, (committer.Partitions.Limits.MaxWritesPerCommit - 1) / 3);

    /// <summary>Decides and commits rows of one product together; the level it left, or null when no row was applied or replayed.</summary>
    /// <remarks>
    /// A row is applied "exactly as POST /api/stock/adjustments would": a counted adjustment of a product in escrow takes
    /// its buckets' free units back first (<see cref="AdjustStock"/>). Here that is done only for rows refused for want of
    /// units while the product has buckets (a row applied without it left every bucket's grant backed), and that the
    /// stock view with the buckets' free units would let stand (as the adjustment checks), so a count of products never
    /// in escrow reads nothing more; the refused rows are then decided again on the product's whole stock.
    /// </remarks>
    private async Task<StockLevel?> CommitAsync(string productId, IReadOnlyList<Work> rows, string performedBy, CountRowOutcome[] outcomes,
        ConcurrentQueue<StockMoved> moved, CancellationToken ct)
    {
        var (level, refused, buckets) = await CommitOnceAsync(productId, rows, performedBy, outcomes, moved, ct);
        if (Escrow is null || buckets.Length == 0 || refused.Count == 0) return level;
        // As for the adjustment: rows refused even with every bucket's free units back gather nothing, and keep their refusal.
        refused = await StandWithTheBucketsAsync(productId, refused, ct);
        if (refused.Count == 0) return level;
        try { await Escrow.GatherAsync(productId, buckets, ct, fresh: true); }
        catch (DomainException) { return level; } // the gathering gave up: the refused rows keep their refusal
        return (await CommitOnceAsync(productId, refused, performedBy, outcomes, moved, ct)).Level ?? level;
    }

    /// <summary>The rows that the stock view, counting the buckets' free units as the product's, would not refuse.</summary>
    private async Task<List<Work>> StandWithTheBucketsAsync(string productId, List<Work> refused, CancellationToken ct)
    {
        if (await committer.Partitions.StockAsync(productId, ct, withBuckets: true) is not { } view) return refused;
        return refused.Where(w =>
        {
            var balance = view.Balances.FirstOrDefault(b => b.LocationId == w.Location?.LocationId);
            var onHand = balance?.QuantityOnHand ?? 0;
            return !ProductStock.AdjustRefused(onHand, balance?.QuantityReserved ?? 0, w.Row.CountedQuantity!.Value - onHand, force: false);
        }).ToList();
    }

    /// <summary>Decides and commits rows together: the level left (null when none applied or replayed), the rows refused on units, the product's buckets.</summary>
    private async Task<(StockLevel? Level, List<Work> Refused, int[] Buckets)> CommitOnceAsync(string productId, IReadOnlyList<Work> rows,
        string performedBy, CountRowOutcome[] outcomes, ConcurrentQueue<StockMoved> moved, CancellationToken ct)
    {
        var keys = rows.Select(w => ProductStock.OperationKey(OperationKind.Adjust, w.AdjustmentId)).ToArray();
        try
        {
            int[] buckets = [];
            var (decided, committed, entries, level) = await committer.RunAsync(productId, new StockRead([], keys), s =>
            {
                buckets = [.. s.EscrowBuckets];
                return Decide(s, rows, performedBy);
            }, ct);
            for (var i = 0; i < rows.Count; i++) outcomes[rows[i].Index] = decided[i];
            for (var i = 0; i < rows.Count; i++)
                if (committed[i] is { } balance) written[(productId, balance.LocationId)] = balance;
            if (entries.Entries.Count > 0) moved.Enqueue(entries);
            // Refused for want of units (what buckets' free units can change), not for a conflict or a bad location.
            var refused = rows.Where((_, i) => decided[i] is { Status: CountRowStatus.Failed, Code: StockWouldGoNegativeException.ProblemCode }).ToList();
            return (decided.Any(o => o.Status != CountRowStatus.Failed) ? level : null, refused, buckets);
        }
        catch (TransactionTooLargeException) when (rows.Count > 1)
        {
            // The estimate of a row's writes missed (larger documents than usual): half and half, each as large as fits.
            var half = rows.Count / 2;
            var first = await CommitOnceAsync(productId, rows.Take(half).ToArray(), performedBy, outcomes, moved, ct);
            var second = await CommitOnceAsync(productId, rows.Skip(half).ToArray(), performedBy, outcomes, moved, ct);
            return (second.Level ?? first.Level, [.. first.Refused, .. second.Refused], [.. first.Buckets.Union(second.Buckets)]);
        }
        catch (DomainException e)
        {
            // The product does not exist, or contention gave up: every row of this commit says so; nothing of it was written.
            foreach (var w in rows) outcomes[w.Index] = Failed(w.Row, productId, w.AdjustmentId, e.Code, e.Message);
            return (null, [], []);
        }
        // The store unavailable or throttled is not a bad row: it propagates (503 with Retry-After) and the count can be
        // sent again (or is resumed), the rows already applied replaying as no-ops.
    }

    /// <summary>A pure, re-runnable decision: every row from a checkpoint, so a refused row leaves no trace for the next.</summary>
    private (CountRowOutcome[] Outcomes, StockBalance?[] Committed, StockMoved Moved, StockLevel Level) Decide(ProductStock s, IReadOnlyList<Work> rows,
        string performedBy)
    {
        var now = clock.GetUtcNow();
        var outcomes = new CountRowOutcome[rows.Count];
        var committed = new StockBalance?[rows.Count];
        var entries = new List<(string WarehouseId, LedgerEntry Entry)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, location) = (rows[i].Row, rows[i].Location!);
            var checkpoint = s.Save();
            try
            {
                var replayed = s.Operation(ProductStock.OperationKey(OperationKind.Adjust, rows[i].AdjustmentId)) is not null;
                var request = new AdjustRequest(rows[i].AdjustmentId, location.LocationId, null, row.CountedQuantity,
                    row.ReasonCode ?? StockCount.DefaultReason, false, performedBy);
                var (record, change) = StockMoved.Capture(s, st => st.Adjust(request, location, now));
                entries.AddRange(change.Entries);
                var balance = record.BalancesAfter.FirstOrDefault(b => b.LocationId == location.LocationId);
                committed[i] = balance;
                outcomes[i] = new CountRowOutcome(row.Line, replayed ? CountRowStatus.Replayed : CountRowStatus.Applied, row.LocationId,
                    rows[i].ProductId, row.Sku, row.CountedQuantity, rows[i].AdjustmentId, balance?.QuantityOnHand, null, null);
            }
            catch (DomainException e)
            {
                s.Restore(checkpoint);
                outcomes[i] = Failed(row, rows[i].ProductId, rows[i].AdjustmentId, e.Code, e.Message);
            }
        }
        return (outcomes, committed, new StockMoved(s.Product, entries, s.LedgerSequence, s.Balances.ToArray()), new StockLevel(s.Product, s.AvailableIn(null)));
    }

    /// <summary>
    /// Rows of a recorded count, each counting a product and location twice marked failed after the first (windows are
    /// applied apart, so <see cref="RunAsync"/> would not see the repeat). Rows are compared by product: SKUs are resolved
    /// only where a file names products both ways, since one SKU names one product and ids compare as written.
    /// </summary>
    public async Task<CountRow[]> MarkRepeatsAsync(IReadOnlyList<CountRow> rows, CancellationToken ct)
    {
        var mixed = rows.Any(r => r.ProductId is not null) && rows.Any(r => r.ProductId is null && r.Sku is not null);
        var skus = mixed ? await ResolveSkusAsync(rows.Where(r => r.ProductId is null).ToArray(), ct) : new Dictionary<string, string?>();
        var first = new Dictionary<(string, string), int>();
        return rows.Select(r =>
        {
            if (r.ReadError is not null || r.LocationId is null || (r.ProductId ?? r.Sku) is null) return r;
            var product = r.ProductId ?? skus.GetValueOrDefault(r.Sku!);
            var key = (product is null ? "sku:" + r.Sku : "id:" + product, r.LocationId);
            return first.TryAdd(key, r.Line) ? r
                : r with { ReadError = Repeat(first[key]) };
        }).ToArray();
    }

    private static FieldError Repeat(int firstLine) => new("locationId", $"counts the same product and location as line {firstLine}");

    private static FieldError? Check(CountRow row, string? productId, IReadOnlyDictionary<string, string?> skus)
    {
        if (row.ReadError is not null) return row.ReadError;
        var guard = new Guard().Id("locationId", row.LocationId)
            .That(row.ProductId is not null || row.Sku is not null, "productId", "is required (or sku)")
            .OptionalId("productId", row.ProductId)
            .That(row.CountedQuantity is not null, "countedQuantity", "is required")
            .That(row.CountedQuantity is null or (>= 0 and <= Limits.MaxQuantity), "countedQuantity", $"must be between 0 and {Limits.MaxQuantity}")
            .OptionalId("reasonCode", row.ReasonCode);
        try { guard.ThrowIfAny(); }
        catch (ValidationException e) { return e.Errors[0]; }
        if (row.Sku is { } sku && skus.GetValueOrDefault(sku) is null) return new FieldError("sku", $"'{sku}' is carried by no product");
        if (row.Sku is not null && row.ProductId is not null && productId != skus[row.Sku])
            return new FieldError("sku", $"'{row.Sku}' belongs to product '{skus[row.Sku]}', not '{row.ProductId}'");
        return null;
    }

    private async Task<IReadOnlyDictionary<string, string?>> ResolveSkusAsync(IReadOnlyList<CountRow> rows, CancellationToken ct)
    {
        var skus = rows.Where(r => r.ReadError is null && r.Sku is { Length: > 0 and <= Limits.MaxSkuLength }).Select(r => r.Sku!).Distinct(StringComparer.Ordinal).ToArray();
        var found = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (sku, token) =>
        {
            try { found[sku] = (await catalog.FindProductBySkuAsync(sku, token))?.ProductId; }
            catch (ValidationException) { found[sku] = null; }
        });
        return found;
    }

    internal static CountRowOutcome Failed(CountRow row, string? productId, string? adjustmentId, string code, string error) =>
        new(row.Line, CountRowStatus.Failed, row.LocationId, productId, row.Sku, row.CountedQuantity, adjustmentId, null, code, error);
}
