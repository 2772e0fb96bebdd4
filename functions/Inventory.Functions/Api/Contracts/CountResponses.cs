using System.Text.Json.Serialization;
using Inventory.Application.Counts;

namespace Inventory.Functions.Api.Contracts;

/// <summary>A count applied within its request: every row's outcome.</summary>
public sealed record CountResultResponse(string CountId, int Rows, int Applied, int Replayed, int Failed, IReadOnlyList<CountRowResponse> Results,
    string? Warning = null)
{
    public CountState Status { get; init; }

    public static CountResultResponse From(CountResult r) =>
        new(r.CountId, r.Rows, r.Applied, r.Replayed, r.Failed, r.Results.Select(CountRowResponse.From).ToArray(), r.Warning) { Status = r.Status };
}

/// <summary>What became of one row: the balance it left, or why it was refused (a problem code and words).</summary>
public sealed record CountRowResponse(int Line, CountRowStatus Status, string? LocationId, string? ProductId, string? Sku, long? CountedQuantity,
    string? AdjustmentId, long? QuantityOnHand, string? Code, string? Error)
{
    public static CountRowResponse From(CountRowOutcome o) =>
        new(o.Line, o.Status, o.LocationId, o.ProductId, o.Sku, o.CountedQuantity, o.AdjustmentId, o.QuantityOnHand, o.Code, o.Error);
}

/// <summary>
/// A recorded count as the API answers it: where it stands, where to poll (<c>statusUrl</c>), and what a 202 means.
/// Members, not constructor parameters: the OpenAPI document lists none of them as required (<c>message</c> and
/// <c>completedAt</c> are left out when null).
/// </summary>
public sealed record CountStatusResponse
{
    public string CountId { get; init; } = "";
    public CountState Status { get; init; }
    public int Rows { get; init; }
    public int ProcessedRows { get; init; }
    public int Applied { get; init; }
    public int Replayed { get; init; }
    public int Failed { get; init; }
    public DateTimeOffset AcceptedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string StatusUrl { get; init; } = "";
    public string? Message { get; init; }
    public IReadOnlyList<CountRowResponse> Results { get; init; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ContinuationToken { get; init; }

    public static CountStatusResponse From(CountStatus s, string statusUrl, string? message) => new()
    {
        CountId = s.CountId, Status = s.Status, Rows = s.Rows, ProcessedRows = s.ProcessedRows, Applied = s.Applied, Replayed = s.Replayed,
        Failed = s.Failed, AcceptedAt = s.AcceptedAt, CompletedAt = s.CompletedAt, Warnings = s.Warnings, StatusUrl = statusUrl, Message = message,
        Results = s.Results.Select(CountRowResponse.From).ToArray(), ContinuationToken = PageToken.Encode(s.ContinuationToken),
    };
}
