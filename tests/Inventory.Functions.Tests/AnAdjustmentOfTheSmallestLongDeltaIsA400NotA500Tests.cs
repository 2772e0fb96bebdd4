using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: POST /api/stock/adjustments with "delta": -9223372036854775808 (long.MinValue, a valid 64-bit number
/// the strict reader accepts) reaches AdjustStock's range check, where Math.Abs(long.MinValue) throws OverflowException:
/// the answer is 500 internal-error, where docs/http-api.md promises 400 validation-failed for "absurd quantities".
/// </summary>
public sealed class AnAdjustmentOfTheSmallestLongDeltaIsA400NotA500Tests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task The_delta_is_refused_as_validation_failed_and_nothing_changes()
    {
        var api = host.Api();
        var s = await LocalHostFactory.SeedAsync(api, "adj-min", pickFace: 10);
        var before = (await api.GetJsonAsync("/api/products/adj-min/stock")).Body.GetRawText();

        var r = await api.PostJsonAsync("/api/stock/adjustments",
            $$"""{"adjustmentId":"adj-min-1","productId":"adj-min","locationId":"{{s.PickLocation}}","delta":-9223372036854775808,"reasonCode":"lost"}""");

        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(r.Body.GetProperty("errors").EnumerateArray(), e => e.Str("field") == "delta");
        Assert.Equal(before, (await api.GetJsonAsync("/api/products/adj-min/stock")).Body.GetRawText());
    }
}
