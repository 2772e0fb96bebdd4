using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>Issue 15: the seed's field names (dimensions length/width/height, address as one string) are accepted; responses keep one spelling.</summary>
public sealed class SpecificationFieldNamesTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task Product_dimensions_named_length_width_height_are_stored_in_millimetres()
    {
        var api = host.Api();
        var r = await api.SendAsync(HttpMethod.Put, "/api/products/spec-1", """{"sku":"SPEC-1","name":"Box","dimensions":{"length":10,"width":20,"height":30}}""");
        Assert.Equal(HttpStatusCode.Created, r.Status);
        var d = (await api.GetJsonAsync("/api/products/spec-1")).Body.GetProperty("dimensions");
        Assert.Equal((10L, 20L, 30L), (d.Long("lengthMm"), d.Long("widthMm"), d.Long("heightMm")));
        Assert.False(d.TryGetProperty("length", out _));

        var current = await api.SendAsync(HttpMethod.Put, "/api/products/spec-1", """{"sku":"SPEC-1","name":"Box","dimensions":{"lengthMm":11,"widthMm":20,"heightMm":30}}""");
        Assert.Equal(11, current.Body.GetProperty("dimensions").Long("lengthMm"));
    }

    [SkippableFact]
    public async Task Both_spellings_of_one_dimension_at_once_are_refused()
    {
        var r = await host.Api().SendAsync(HttpMethod.Put, "/api/products/spec-2", """{"sku":"SPEC-2","name":"Box","dimensions":{"length":10,"lengthMm":10}}""");
        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("dimensions.length", r.Body.GetProperty("errors")[0].Str("field"));
    }

    [SkippableFact]
    public async Task A_warehouse_address_given_as_one_string_is_kept_as_its_first_line()
    {
        var api = host.Api();
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Put, "/api/warehouses/spec-wh", """{"name":"Dock","address":"1 Dock Rd"}""")).Status);
        var address = (await api.GetJsonAsync("/api/warehouses/spec-wh")).Body.GetProperty("address");
        Assert.Equal("1 Dock Rd", address.Str("line1"));

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, "/api/warehouses/spec-wh", """{"name":"Dock","address":{"line1":"2 Dock Rd","city":"Leith"}}""")).Status);
        Assert.Equal("Leith", (await api.GetJsonAsync("/api/warehouses/spec-wh")).Body.GetProperty("address").Str("city"));

        var bad = await api.SendAsync(HttpMethod.Put, "/api/warehouses/spec-wh", """{"name":"Dock","address":42}""");
        Http.AssertProblem(bad, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("address", bad.Body.GetProperty("errors")[0].Str("field"));
        var unknown = await api.SendAsync(HttpMethod.Put, "/api/warehouses/spec-wh", """{"name":"Dock","address":{"street":"x"}}""");
        Http.AssertProblem(unknown, HttpStatusCode.BadRequest, "validation-failed");
    }
}
