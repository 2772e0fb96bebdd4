using System.Net;
using System.Text;
using System.Text.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>Issue 15: POST /api/stock/counts with text/csv or JSON; rows independent, reported by line; replays change nothing.</summary>
public sealed class StockCountRoutesTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> PostCsvAsync(HttpClient api, string query, string csv)
    {
        using var response = await api.PostAsync("/api/stock/counts" + query, new StringContent(csv, Encoding.UTF8, "text/csv"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Content.Headers.ContentType?.MediaType);
    }

    [SkippableFact]
    public async Task A_csv_count_applies_good_rows_reports_bad_ones_by_line_and_replays_as_nothing()
    {
        var api = host.Api();
        var s = await LocalHostFactory.SeedAsync(api, "cnt-a", pickFace: 10, bulk: 5);
        var csv = $"""
            sku,locationId,countedQuantity,reasonCode
            SKU-cnt-a,{s.PickLocation},8,
            SKU-nobody,{s.PickLocation},1,

            "SKU-cnt-a","{s.BulkLocation}",7,"found-stock"
            SKU-cnt-a,{s.BulkLocation},seven,
            """;
        var first = await PostCsvAsync(api, "?countId=cnt-1", csv);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((4, 2, 0, 2), (first.Body.GetProperty("rows").GetInt32(), first.Body.GetProperty("applied").GetInt32(),
            first.Body.GetProperty("replayed").GetInt32(), first.Body.GetProperty("failed").GetInt32()));
        var results = first.Body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([2, 3, 5, 6], results.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(["APPLIED", "FAILED", "APPLIED", "FAILED"], results.Select(r => r.Str("status")));
        Assert.Contains("SKU-nobody", results[1].Str("error"), StringComparison.Ordinal);
        Assert.Contains("seven", results[3].Str("error"), StringComparison.Ordinal);

        var stock = await api.GetJsonAsync("/api/products/cnt-a/stock");
        Assert.Equal(15, stock.Body.Long("quantityOnHand"));
        var ledger = (await api.GetJsonAsync("/api/products/cnt-a/transactions")).Body.GetProperty("entries");
        Assert.Contains(ledger.EnumerateArray(), e => e.Str("reasonCode") == "cycle-count" && e.Long("onHandDelta") == -2);
        Assert.Contains(ledger.EnumerateArray(), e => e.Str("reasonCode") == "found-stock" && e.Long("onHandDelta") == 2);

        var again = await PostCsvAsync(api, "?countId=cnt-1", csv);
        Assert.Equal((0, 2), (again.Body.GetProperty("applied").GetInt32(), again.Body.GetProperty("replayed").GetInt32()));
        Assert.Equal(ledger.GetArrayLength(), (await api.GetJsonAsync("/api/products/cnt-a/transactions")).Body.GetProperty("entries").GetArrayLength());
    }

    [SkippableFact]
    public async Task A_json_count_takes_the_count_id_as_a_field()
    {
        var api = host.Api();
        var s = await LocalHostFactory.SeedAsync(api, "cnt-j", pickFace: 3);
        var r = await api.PostJsonAsync("/api/stock/counts",
            $$"""{"countId":"cnt-j1","rows":[{"locationId":"{{s.PickLocation}}","productId":"cnt-j","countedQuantity":0}]}""");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        var row = r.Body.GetProperty("results")[0];
        Assert.Equal(("APPLIED", 1, 0L), (row.Str("status"), row.GetProperty("line").GetInt32(), row.Long("quantityOnHand")));
    }

    [SkippableTheory]
    [InlineData("?countId=c", "text/csv", "locationId,product,countedQuantity\nx,y,1\n", "header")]
    [InlineData("?countId=c", "text/csv", "locationId,sku\nx,y\n", "header")]
    [InlineData("?countId=c", "text/csv", "locationId,sku,countedQuantity\n", "body")]
    [InlineData("", "text/csv", "locationId,sku,countedQuantity\nx,y,1\n", "countId")]
    [InlineData("?countId=c", "text/plain", "locationId,sku,countedQuantity\nx,y,1\n", "Content-Type")]
    [InlineData("", "application/json", """{"rows":[]}""", "countId")]
    [InlineData("", "application/json", """{"countId":"c","rows":[{"locationId":"x","sku":"y","countedQuantity":"1"}]}""", "rows[0].countedQuantity")]
    public async Task A_count_that_cannot_be_read_is_refused_whole_and_writes_nothing(string query, string type, string body, string field)
    {
        using var response = await host.Api().PostAsync("/api/stock/counts" + query, new StringContent(body, Encoding.UTF8, type));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation-failed", problem.Str("code"));
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.Str("field") == field);
    }
}
