using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: a 400 validation-failed names "which field" (docs/http-api.md), by its path in the body
/// (dimensions.depth, lines[0].quantity). Inside a warehouse's address object the path is lost: AddressBody reads the
/// object with a nested JsonSerializer.Deserialize, whose JsonException path starts again at the address, so an unknown
/// "zip" is reported as field "zip" and a numeric "line1" as "line1", not "address.zip" / "address.line1".
/// </summary>
public sealed class AnAddressFieldErrorNamesItsPathTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableTheory]
    [InlineData("""{"name":"W","address":{"line1":"1 Dock Rd","zip":"75001"}}""", "address.zip")]
    [InlineData("""{"name":"W","address":{"line1":5}}""", "address.line1")]
    public async Task The_field_is_named_under_address(string body, string field)
    {
        var api = host.Api();
        var r = await api.SendAsync(HttpMethod.Put, "/api/warehouses/addr-wh", body);

        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(r.Body.GetProperty("errors").EnumerateArray(), e => e.Str("field") == field);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetJsonAsync("/api/warehouses/addr-wh")).Status);
    }
}
