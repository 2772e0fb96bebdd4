using System.Text.Json.Nodes;
using Inventory.Functions.OpenApi;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: POST /api/stock/counts answers a large count with 202 Accepted (or 200 when it completed within the
/// budget) and the count's status body (CountStatusResponse: statusUrl, processedRows, message, continuationToken), as
/// docs/http-api.md says. The OpenAPI document, "built from the functions themselves", gives both 200 and 202 the schema
/// of the small count's answer (CountResultResponse), which has none of those fields: a client generated from it cannot
/// read the 202. (Its request body also lists only application/json, not the text/csv the doc describes first.)
/// </summary>
public sealed class TheOpenApiDocumentDescribesTheCountStatusAnswerTests
{
    [Fact]
    public void The_202_of_a_stock_count_is_described_with_statusUrl_and_processedRows()
    {
        var post = ApiDescription.Document["paths"]!["/api/stock/counts"]!["post"]!;
        var schema = post["responses"]!["202"]!["content"]!["application/json"]!["schema"]!;
        var properties = Properties(schema);

        Assert.Contains("statusUrl", properties);
        Assert.Contains("processedRows", properties);
    }

    /// <summary>Property names of a schema, through oneOf/anyOf alternatives.</summary>
    private static HashSet<string> Properties(JsonNode schema)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (schema["properties"] is JsonObject p) names.UnionWith(p.Select(kv => kv.Key));
        foreach (var key in new[] { "oneOf", "anyOf" })
            if (schema[key] is JsonArray alternatives)
                foreach (var a in alternatives) names.UnionWith(Properties(a!));
        return names;
    }
}
