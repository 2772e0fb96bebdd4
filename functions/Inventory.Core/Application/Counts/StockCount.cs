using System.Security.Cryptography;
using System.Text;
using Inventory.Application.Catalog;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Counts;

/// <summary>
/// One counted row as read from a file or a body. <paramref name="Line"/> is what the caller reports (the CSV line, or
/// the row's position); <paramref name="ReadError"/> a problem found while reading it (a quantity that is not a number).
/// </summary>
public sealed record CountRow(int Line, string? LocationId, string? ProductId, string? Sku, long? CountedQuantity, string? ReasonCode,
    FieldError? ReadError = null);

public sealed record CountCommand(string CountId, IReadOnlyList<CountRow> Rows, string PerformedBy = "api");

public enum CountRowStatus { Applied, Replayed, Failed }

/// <summary>What became of one row: the balance it left, or why it was refused (a problem code and words).</summary>
public sealed record CountRowOutcome(int Line, CountRowStatus Status, string? LocationId, string? ProductId, string? Sku, long? CountedQuantity,
    string? AdjustmentId, long? QuantityOnHand, string? Code, string? Error);

public sealed record CountResult(string CountId, int Rows, int Applied, int Replayed, int Failed, IReadOnlyList<CountRowOutcome> Results,
    string? Warning = null);

/// <summary>
/// A cycle count: every row a counted adjustment (reason <c>cycle-count</c> unless the row names one), each applied on
/// its own so a bad row is reported and the others go on. A row's adjustment id derives from the count id, the product
/// and the location, so the same count sent again (even reordered, or with failed rows fixed) applies nothing twice.
/// </summary>
public sealed class StockCount(IDocumentStore store, Func<CatalogQueries, Func<StockMoved, CancellationToken, Task>, AdjustStock> adjuster,
    Func<IReadOnlyCollection<StockMoved>, CancellationToken, Task> afterCount)
{
    public const string DefaultReason = "cycle-count";
    public const int MaxCountIdLength = 64;
    public const int MaxRows = 20_000;
    /// <summary>Rows applied at once: enough to keep a store busy, few enough not to starve other requests.</summary>
    public const int Parallelism = 16;

    public async Task<CountResult> ExecuteAsync(CountCommand c, CancellationToken ct = default)
    {
        new Guard().Id("countId", c.CountId).That((c.CountId?.Length ?? 0) <= MaxCountIdLength, "countId", $"must be at most {MaxCountIdLength} characters")
            .Text("performedBy", c.PerformedBy, Limits.MaxIdLength)
            .That(c.Rows.Count > 0, "rows", "must hold at least one row").That(c.Rows.Count <= MaxRows, "rows", $"must hold at most {MaxRows} rows")
            .ThrowIfAny();

        var catalog = new CatalogQueries(new LocationReads(store));
        // Location loads follow the whole count at its end, summed per location: row by row, every row of a location
        // would update the same load document and most would retry (a 10,000-row count took minutes so).
        var moved = new System.Collections.Concurrent.ConcurrentQueue<StockMoved>();
        var adjust = adjuster(catalog, (m, _) => { moved.Enqueue(m); return Task.CompletedTask; });
        var skus = await ResolveSkusAsync(catalog, c.Rows, ct);
        var outcomes = new CountRowOutcome[c.Rows.Count];
        var work = new List<(int Index, AdjustCommand Command)>();
        var firstLine = new Dictionary<(string, string), int>();
        for (var i = 0; i < c.Rows.Count; i++)
        {
            var row = c.Rows[i];
            var productId = row.ProductId ?? (row.Sku is { } sku ? skus.GetValueOrDefault(sku) : null);
            var error = Check(row, productId, skus);
            if (error is null && !firstLine.TryAdd((productId!, row.LocationId!), row.Line))
                error = new FieldError("locationId", $"counts the same product and location as line {firstLine[(productId!, row.LocationId!)]}");
            if (error is not null)
            {
                outcomes[i] = Failed(row, productId, null, "validation-failed", $"{error.Field}: {error.Message}");
                continue;
            }
            work.Add((i, new AdjustCommand(productId!, row.LocationId!, null, row.CountedQuantity, row.ReasonCode ?? DefaultReason,
                AdjustmentId(c.CountId!, productId!, row.LocationId!), false, c.PerformedBy)));
        }

        // A count file is usually sorted by location; rows of one location running together would all update its
        // load document (LocationLoads) and mostly retry. Taken round-robin over locations, concurrent rows rarely meet.
        var interleaved = work.GroupBy(w => w.Command.LocationId, StringComparer.Ordinal)
            .SelectMany(g => g.Select((w, rank) => (Work: w, Rank: rank))).OrderBy(x => x.Rank).Select(x => x.Work).ToArray();
        await Parallel.ForEachAsync(interleaved, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (w, token) =>
        {
            var row = c.Rows[w.Index];
            try
            {
                var result = await adjust.ExecuteAsync(w.Command, token);
                var balance = result.Operation.BalancesAfter.FirstOrDefault(b => b.LocationId == row.LocationId);
                outcomes[w.Index] = new CountRowOutcome(row.Line, result.Replayed ? CountRowStatus.Replayed : CountRowStatus.Applied, row.LocationId,
                    w.Command.ProductId, row.Sku, row.CountedQuantity, w.Command.AdjustmentId, balance?.QuantityOnHand, null, null);
            }
            catch (DomainException e)
            {
                outcomes[w.Index] = Failed(row, w.Command.ProductId, w.Command.AdjustmentId, e.Code, e.Message);
            }
            // The store unavailable or throttled is not a bad row: it propagates (503 with Retry-After) and the whole count
            // can be sent again, the rows already applied replaying as no-ops.
        });

        string? warning = null;
        try { await afterCount(moved.ToArray(), ct); }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The rows are committed; the loads are advisory (put-away). Said in the answer rather than failing the count.
            warning = $"The counted stock is recorded, but the locations' weight and volume were not updated: {e.Message}";
        }
        return new CountResult(c.CountId!, outcomes.Length, outcomes.Count(o => o.Status == CountRowStatus.Applied),
            outcomes.Count(o => o.Status == CountRowStatus.Replayed), outcomes.Count(o => o.Status == CountRowStatus.Failed), outcomes, warning);
    }

    /// <summary>The adjustment id of a row: readable by its count id, unique by a hash of count, product and location.</summary>
    public static string AdjustmentId(string countId, string productId, string locationId) =>
        countId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{countId}\n{productId}\n{locationId}")))[..16];

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

    private static async Task<IReadOnlyDictionary<string, string?>> ResolveSkusAsync(CatalogQueries catalog, IReadOnlyList<CountRow> rows, CancellationToken ct)
    {
        var skus = rows.Where(r => r.ReadError is null && r.Sku is { Length: > 0 and <= Limits.MaxSkuLength }).Select(r => r.Sku!).Distinct(StringComparer.Ordinal).ToArray();
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (sku, token) =>
        {
            try { found[sku] = (await catalog.FindProductBySkuAsync(sku, token))?.ProductId; }
            catch (ValidationException) { found[sku] = null; }
        });
        return found;
    }

    private static CountRowOutcome Failed(CountRow row, string? productId, string? adjustmentId, string code, string error) =>
        new(row.Line, CountRowStatus.Failed, row.LocationId, productId, row.Sku, row.CountedQuantity, adjustmentId, null, code, error);
}
