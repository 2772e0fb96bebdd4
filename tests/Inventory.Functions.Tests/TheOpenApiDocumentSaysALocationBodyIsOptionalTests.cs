using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: PUT /api/warehouses/{warehouseId}/locations/{locationId} reads its body as optional
/// (JsonBody.ReadAsync(..., optional: true) in WarehouseFunctions.PutLocation: no body is a BULK location, 201), but its
/// [ApiOperation] does not say RequestBodyOptional, so GET /api/openapi.json marks the request body "required": true.
/// A client generated from the document always sends one, and a client that reads the document to learn what may be
/// left out is told the opposite of what the route does. The document and the route must agree.
/// </summary>
public sealed class TheOpenApiDocumentSaysALocationBodyIsOptionalTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task The_document_marks_the_body_required_only_if_the_route_refuses_an_empty_one()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "oa-loc", pickFace: 0);
        var required = (await api.GetJsonAsync("/api/openapi.json")).Body.GetProperty("paths")
            .GetProperty("/api/warehouses/{warehouseId}/locations/{locationId}").GetProperty("put")
            .GetProperty("requestBody").GetProperty("required").GetBoolean();

        var noBody = await api.SendAsync(HttpMethod.Put, "/api/warehouses/wh-oa-loc/locations/oa-loc-nobody");

        var refused = noBody.Status == HttpStatusCode.BadRequest;
        Assert.True(required == refused,
            $"openapi.json says the body is {(required ? "required" : "optional")}, but PUT without a body answered {(int)noBody.Status}");
    }
}
