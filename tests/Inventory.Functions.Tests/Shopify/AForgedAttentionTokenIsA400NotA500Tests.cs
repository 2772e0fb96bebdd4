using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review: GET /api/webhooks/shopify/attention passes a continuation token that is valid base64url but was not
/// issued by the service (Zm9v is "foo") straight to the store, whose InvalidContinuationTokenException no one maps: the
/// route answers 500 internal-error (and logs an error), where every other paged route, and docs/http-api.md ("a token
/// this service did not issue is a 400 validation-failed naming the parameter"), answer 400.
/// </summary>
public sealed class AForgedAttentionTokenIsA400NotA500Tests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableTheory]
    [InlineData("Zm9v")]
    [InlineData("AAAA")]
    [InlineData("eyJ4IjoxfQ")]
    public async Task A_token_the_service_did_not_issue_is_a_400_naming_continuationToken(string token)
    {
        var r = await host.Api().GetJsonAsync("/api/webhooks/shopify/attention?continuationToken=" + token);

        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(r.Body.GetProperty("errors").EnumerateArray(), e => e.Str("field") == "continuationToken");
    }
}
