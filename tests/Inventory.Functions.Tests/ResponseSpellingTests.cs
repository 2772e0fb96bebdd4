using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Every enum in a response is spelled as the specification does (PICK_FACE, RESERVED), requests may use any usual
/// spelling, and a refused enum value is answered with the values the API accepts.
/// </summary>
public sealed class ResponseSpellingTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task Location_types_and_reservation_line_statuses_are_spelled_as_in_the_specification()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "spell-1", pickFace: 5, bulk: 5);
        await api.PostJsonAsync("/api/reservations", """{"orderId":"o-spell-1","lines":[{"productId":"spell-1","quantity":2}]}""");

        var stock = await api.GetJsonAsync("/api/products/spell-1/stock");
        var reservation = await api.GetJsonAsync("/api/reservations/o-spell-1");

        Assert.Equal(["BULK", "PICK_FACE"], stock.Body.GetProperty("locations").EnumerateArray().Select(l => l.Str("locationType")).Order(StringComparer.Ordinal));
        Assert.Equal(0, stock.Body.Long("quantityIncoming"));
        Assert.Equal(("RESERVED", "ACTIVE"), (reservation.Body.Str("status"), reservation.Body.GetProperty("lines")[0].Str("status")));
    }

    [SkippableFact]
    public async Task A_wrong_location_type_names_the_accepted_values_as_spelled_in_requests()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "spell-2", pickFace: 0);
        var refused = await api.SendAsync(HttpMethod.Put, "/api/warehouses/wh-spell-2/locations/spell-2-x", """{"type":"SHELF"}""");

        Http.AssertProblem(refused, HttpStatusCode.BadRequest, "validation-failed");
        var error = refused.Body.GetProperty("errors")[0];
        Assert.Equal(("type", "must be one of PICK_FACE, BULK, OVERFLOW"), (error.Str("field"), error.Str("message")));
    }

    [SkippableTheory]
    [InlineData("PICK_FACE")]
    [InlineData("pickFace")]
    [InlineData("PickFace")]
    [InlineData("pick-face")]
    public async Task A_location_type_is_accepted_in_any_usual_spelling(string spelling)
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "spell-3-" + spelling, pickFace: 0);
        var saved = await api.SendAsync(HttpMethod.Put, $"/api/warehouses/wh-spell-3-{spelling}/locations/spell-3-{spelling}-x", $$"""{"type":"{{spelling}}"}""");
        Assert.True(saved.Status is HttpStatusCode.Created or HttpStatusCode.OK, saved.Body.ToString());
        Assert.Equal("PICK_FACE", saved.Body.Str("type"));
    }
}
