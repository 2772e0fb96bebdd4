using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>Every enum in a response is camelCase, as in requests, and a refused enum value is answered with the values the API accepts.</summary>
public sealed class ResponseSpellingTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task Location_types_and_reservation_line_statuses_are_camelCase()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "spell-1", pickFace: 5, bulk: 5);
        await api.PostJsonAsync("/api/reservations", """{"orderId":"o-spell-1","lines":[{"productId":"spell-1","quantity":2}]}""");

        var stock = await api.GetJsonAsync("/api/products/spell-1/stock");
        var reservation = await api.GetJsonAsync("/api/reservations/o-spell-1");

        Assert.Equal(["bulk", "pickFace"], stock.Body.GetProperty("locations").EnumerateArray().Select(l => l.Str("locationType")).Order(StringComparer.Ordinal));
        Assert.Equal(0, stock.Body.Long("quantityIncoming"));
        Assert.Equal(("reserved", "active"), (reservation.Body.Str("status"), reservation.Body.GetProperty("lines")[0].Str("status")));
    }

    [SkippableFact]
    public async Task A_wrong_location_type_names_the_accepted_values_as_spelled_in_requests()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "spell-2", pickFace: 0);
        var refused = await api.SendAsync(HttpMethod.Put, "/api/warehouses/wh-spell-2/locations/spell-2-x", """{"type":"PICK_FACE"}""");

        Http.AssertProblem(refused, HttpStatusCode.BadRequest, "validation-failed");
        var error = refused.Body.GetProperty("errors")[0];
        Assert.Equal(("type", "must be one of pickFace, bulk, overflow"), (error.Str("field"), error.Str("message")));
    }
}
