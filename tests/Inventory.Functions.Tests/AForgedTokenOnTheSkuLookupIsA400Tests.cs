using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: GET /api/products?sku=...&amp;continuationToken=... ignores the token: ProductList answers the SKU's
/// point read whatever the token says, so a token this service never issued ("abc", "Zm9v") is a 200 with the product
/// again, where docs/http-api.md (Operator lists) says "a token this service did not issue is a 400 validation-failed
/// naming the parameter". The same tokens on /api/products without sku are 400.
/// </summary>
public sealed class AForgedTokenOnTheSkuLookupIsA400Tests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableTheory]
    [InlineData("abc")]
    [InlineData("Zm9v")]
    public async Task A_forged_token_beside_sku_is_refused_naming_continuationToken(string token)
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "sku-tok", pickFace: 1);
        Http.AssertProblem(await api.GetJsonAsync("/api/products?continuationToken=" + token), HttpStatusCode.BadRequest, "validation-failed");

        var r = await api.GetJsonAsync("/api/products?sku=SKU-sku-tok&continuationToken=" + token);

        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(r.Body.GetProperty("errors").EnumerateArray(), e => e.Str("field") == "continuationToken");
    }
}
