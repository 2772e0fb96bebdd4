using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: fulfil and release take optional "lines"; leaving them out means every line of the order. An
/// explicit empty list, "lines": [] (a client whose pick list came back empty), is taken the same way: ChangeReservation's
/// Requested maps an empty list to null, so POST /fulfill ships the whole order and answers 200. An empty array is a
/// bad input (a reservation's lines must hold 1 to 100); it must be a 400 validation-failed on "lines" that ships nothing.
/// </summary>
public sealed class AFulfilOfAnEmptyLineListShipsNothingTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task Fulfil_with_lines_empty_is_refused_and_the_order_stays_reserved()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "ful-empty", pickFace: 10);
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/reservations",
            """{"orderId":"o-ful-empty","lines":[{"productId":"ful-empty","quantity":4}]}""")).Status);

        var r = await api.PostJsonAsync("/api/reservations/o-ful-empty/fulfill", """{"lines":[]}""");

        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(r.Body.GetProperty("errors").EnumerateArray(), e => e.Str("field") == "lines");
        var stock = (await api.GetJsonAsync("/api/products/ful-empty/stock")).Body;
        Assert.Equal((10L, 4L), (stock.Long("quantityOnHand"), stock.Long("quantityReserved")));
    }
}
