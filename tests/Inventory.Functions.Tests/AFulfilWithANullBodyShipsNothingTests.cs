using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review (HTTP surface, 2026-12-02): fulfil and release take an optional body, and leaving it out means every
/// line of the order. A body of the literal <c>null</c> (a client serialising a missing pick list) was read as no body,
/// so POST /fulfill shipped the whole order, though an empty <c>lines</c> list is refused so that nothing but an absent
/// body ever means "every line". A JSON body must be an object: <c>null</c> is a 400 that ships nothing.
/// </summary>
public sealed class AFulfilWithANullBodyShipsNothingTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task Fulfil_with_a_null_body_is_refused_and_the_order_stays_reserved()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "ful-null", pickFace: 10);
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/reservations",
            """{"orderId":"o-ful-null","lines":[{"productId":"ful-null","quantity":4}]}""")).Status);

        var r = await api.PostJsonAsync("/api/reservations/o-ful-null/fulfill", "null");

        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        var stock = (await api.GetJsonAsync("/api/products/ful-null/stock")).Body;
        Assert.Equal((10L, 4L), (stock.Long("quantityOnHand"), stock.Long("quantityReserved")));
    }
}
