using System.Security.Cryptography;
using System.Text;
using Inventory.Domain;

namespace Inventory.Application.Counts;

/// <summary>Settings of cycle counts (section <c>Counts</c>).</summary>
public sealed record CountOptions
{
    public const string Section = "Counts";
    /// <summary>A count of at most this many rows is applied within its request and answered whole (Counts__InRequestRows).</summary>
    public int InRequestRows { get; init; } = 1_000;
    /// <summary>How long a request applies a larger, recorded count before answering 202 (Counts__InRequestSeconds).</summary>
    public int InRequestSeconds { get; init; } = 100;
    /// <summary>How long one run of the resume timer spends on one recorded count (Counts__ResumeSeconds).</summary>
    public int ResumeSeconds { get; init; } = 240;
    /// <summary>Rows of a recorded count applied together before their outcomes are recorded (Counts__WindowRows): a product's
    /// rows within a window share commits, so a larger window makes fewer commits, and redoes more after a crash.</summary>
    public int WindowRows { get; init; } = 2_000;
}

/// <summary>What a POST of a count answers: the whole result (applied in the request), or where a recorded count stands.</summary>
public sealed record CountAnswer(CountResult? Result, CountStatus? Status);

/// <summary>
/// A cycle count: every row a counted adjustment (reason <c>cycle-count</c> unless the row names one), each applied on
/// its own so a bad row is reported and the others go on. A row's adjustment id derives from the count id, the product
/// and the location, so the same count sent again (even reordered, or with failed rows fixed) applies nothing twice.
/// A count larger than <see cref="CountOptions.InRequestRows"/> is recorded first and applied by <see cref="RecordedCounts"/>.
/// </summary>
/// <remarks>The pass's movements are handed to <paramref name="afterCommit"/> once (location loads).</remarks>
public sealed class StockCount(Func<CountPass> pass, RecordedCounts recorded, CountOptions options, Stock.AfterStockCommit afterCommit)
{
    public const string DefaultReason = "cycle-count";
    public const int MaxCountIdLength = 64;
    public const int MaxRows = 20_000;

    public CountOptions Options => options;

    /// <summary>Applies every row within this call, recording nothing but the adjustments themselves.</summary>
    public async Task<CountResult> ExecuteAsync(CountCommand c, CancellationToken ct = default)
    {
        Validate(c);
        var result = await pass().RunAsync(c.CountId, c.PerformedBy, c.Rows, ct);
        var warnings = result.Warnings.ToList();
        try { await afterCommit.RunAsync(new Stock.StockChanged(result.Moved, []), ct); }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The rows are committed; the loads are advisory (put-away). Said in the answer rather than failing the count.
            warnings.Insert(0, $"The counted stock is recorded, but the locations' weight and volume were not updated: {e.Message}");
        }
        var outcomes = result.Outcomes;
        return new CountResult(c.CountId, outcomes.Length, outcomes.Count(o => o.Status == CountRowStatus.Applied),
            outcomes.Count(o => o.Status == CountRowStatus.Replayed), outcomes.Count(o => o.Status == CountRowStatus.Failed), outcomes,
            warnings.Count == 0 ? null : string.Join(" ", warnings));
    }

    /// <summary>
    /// What the HTTP route does: a count recorded before under this id answers its status (and is carried on, never
    /// applied twice), or 409 when the rows differ; a small count is applied at once; a large one is recorded, applied
    /// for up to <see cref="CountOptions.InRequestSeconds"/>, and answered with its status.
    /// </summary>
    public async Task<CountAnswer> SubmitAsync(CountCommand c, CancellationToken ct = default)
    {
        Validate(c);
        var budget = TimeSpan.FromSeconds(options.InRequestSeconds);
        if (c.Rows.Count <= options.InRequestRows && !await recorded.ExistsAsync(c.CountId, ct)) return new(await ExecuteAsync(c, ct), null);
        return new(null, await recorded.SubmitAsync(c, budget, ct));
    }

    private static void Validate(CountCommand c) =>
        new Guard().Id("countId", c.CountId).That((c.CountId?.Length ?? 0) <= MaxCountIdLength, "countId", $"must be at most {MaxCountIdLength} characters")
            .Text("performedBy", c.PerformedBy, Limits.MaxIdLength)
            .That(c.Rows.Count > 0, "rows", "must hold at least one row").That(c.Rows.Count <= MaxRows, "rows", $"must hold at most {MaxRows} rows")
            .ThrowIfAny();

    /// <summary>The adjustment id of a row: readable by its count id, unique by a hash of count, product and location.</summary>
    public static string AdjustmentId(string countId, string productId, string locationId) =>
        countId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{countId}\n{productId}\n{locationId}")))[..16];
}
