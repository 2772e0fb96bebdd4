using System.Text.Json.Serialization;

namespace Inventory.Functions.Api.Contracts;

/// <summary>GET /api/health: whether the store answers, and which store it is.</summary>
public sealed record HealthReport(string Status, string Store);

/// <summary>A page of the catalogue index backfill as answered: the token is opaque and URL-safe, null once every product was looked at.</summary>
public sealed record CatalogBackfillResponse(int Products, int RowsWritten,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContinuationToken);
