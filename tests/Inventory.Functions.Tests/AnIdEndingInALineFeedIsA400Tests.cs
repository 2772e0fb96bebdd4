using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: docs/http-api.md (Limits and formats) says an id is "1-128 characters of letters, digits and
/// . _ : @ -", and a bad id is a 400 validation-failed. Limits.IsValidId checks ids with the regex
/// ^[A-Za-z0-9][A-Za-z0-9._:@-]*$, whose $ also matches before a final line feed, so "p-lf\n" passes: PUT
/// /api/products/p-lf%0A creates a product (201) and POST /api/reservations with "orderId":"o-lf\n" reserves stock
/// (201), under ids that print the same as "p-lf" and "o-lf" but are other documents.
/// </summary>
public sealed class AnIdEndingInALineFeedIsA400Tests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task A_product_id_ending_in_a_line_feed_is_refused_and_nothing_is_created()
    {
        var api = host.Api();

        var r = await api.SendAsync(HttpMethod.Put, "/api/products/p-lf%0A", """{"sku":"SKU-p-lf","name":"x"}""");

        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(r.Body.GetProperty("errors").EnumerateArray(), e => e.Str("field") == "productId");
        Assert.Empty((await api.GetJsonAsync("/api/products?sku=SKU-p-lf")).Body.GetProperty("items").EnumerateArray());
    }

    [SkippableFact]
    public async Task An_order_id_ending_in_a_line_feed_is_refused_and_reserves_nothing()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "lf-1", pickFace: 10);
        var before = (await api.GetJsonAsync("/api/products/lf-1/stock")).Body.GetRawText();

        var r = await api.PostJsonAsync("/api/reservations", """{"orderId":"o-lf\n","lines":[{"productId":"lf-1","quantity":1}]}""");

        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(r.Body.GetProperty("errors").EnumerateArray(), e => e.Str("field") == "orderId");
        Assert.Equal(before, (await api.GetJsonAsync("/api/products/lf-1/stock")).Body.GetRawText());
    }
}
