using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review: docs/http-api.md gives GET /api/webhooks/shopify/attention the shape
/// {"items":[...],"continuationToken"}, like the operator lists, which answer "continuationToken": null on the last page.
/// The attention list leaves the member out when there is no next page (AttentionResponse has no JsonIgnore.Never), so a
/// client that pages "until the token is null" (the doc's own words for lists) never sees null.
/// </summary>
public sealed class TheAttentionListAlwaysCarriesItsContinuationTokenTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task The_last_page_answers_continuationToken_null()
    {
        var r = await host.Api().GetJsonAsync("/api/webhooks/shopify/attention");

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.True(r.Body.TryGetProperty("continuationToken", out var token), "continuationToken is missing: " + r.Body.GetRawText());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, token.ValueKind);
    }
}
