using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

public sealed class CatalogRoutesTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task A_product_is_created_then_replaced_and_read_back()
    {
        var api = host.Api();
        var created = await api.SendAsync(HttpMethod.Put, "/api/products/cat-1", """{"sku":"CAT-1","name":"Mug","unitCost":4.5,"reorderPoint":10}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var replaced = await api.SendAsync(HttpMethod.Put, "/api/products/cat-1", """{"productId":"cat-1","sku":"CAT-1","name":"Big mug"}""");
        Assert.Equal(HttpStatusCode.OK, replaced.Status);

        var read = await api.GetJsonAsync("/api/products/cat-1");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("Big mug", read.Body.Str("name"));
        Assert.Equal("CAT-1", read.Body.Str("sku"));
    }

    [SkippableFact]
    public async Task A_warehouse_is_read_with_its_locations()
    {
        var api = host.Api();
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Put, "/api/warehouses/cat-wh", """{"name":"Lyon","timezone":"Europe/Paris","address":{"city":"Lyon"}}""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Put, "/api/warehouses/cat-wh/locations/cat-b", """{"type":"bulk","aisle":"B"}""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Put, "/api/warehouses/cat-wh/locations/cat-a", """{"type":"pickFace"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, "/api/warehouses/cat-wh/locations/cat-a", """{"type":"pickFace","bin":"7"}""")).Status);

        var read = await api.GetJsonAsync("/api/warehouses/cat-wh");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("Europe/Paris", read.Body.Str("timezone"));
        Assert.Equal(["cat-a", "cat-b"], read.Body.GetProperty("locations").EnumerateArray().Select(l => l.Str("locationId")));
        Assert.Equal("7", read.Body.GetProperty("locations")[0].Str("bin"));
    }

    [SkippableFact]
    public async Task Health_answers_200_when_the_store_answers()
    {
        var health = await host.Api().GetJsonAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("healthy", health.Body.Str("status"));
    }
}
