using System.Text;
using System.Text.Json;
using Inventory.Application;
using Inventory.Functions.Functions;
using Inventory.Functions.Shopify;
using Inventory.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Inventory.Functions.Tests;

/// <summary>The function classes called directly, as the Functions host would, on a bare DefaultHttpContext (no host, in-memory store).</summary>
public sealed class FunctionClassTests
{
    private readonly InventoryApplication app = new(new InMemoryDocumentStore());

    private static DefaultHttpContext Request(string method, string path, string? body = null, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        if (body is not null) context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        foreach (var (name, value) in headers) context.Request.Headers[name] = value;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<(int Status, JsonElement Body, string? ContentType)> ExecuteAsync(HttpContext context, IActionResult result)
    {
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), context.Response.ContentType);
    }

    [Fact]
    public async Task PutProduct_creates_then_replaces()
    {
        var functions = app.Create<ProductFunctions>();
        var first = Request("PUT", "/api/products/p-1", """{"sku":"S-1","name":"Shirt"}""");
        var created = await ExecuteAsync(first, await functions.Put(first.Request, "p-1", default));
        var second = Request("PUT", "/api/products/p-1", """{"sku":"S-1","name":"Shirt, blue"}""");
        var replaced = await ExecuteAsync(second, await functions.Put(second.Request, "p-1", default));

        Assert.Equal(201, created.Status);
        Assert.Equal("/api/products/p-1", first.Response.Headers.Location.ToString());
        Assert.Equal(200, replaced.Status);
        Assert.Equal("Shirt, blue", (await app.Catalog.GetProductAsync("p-1")).Name);
    }

    [Fact]
    public async Task CreateReservation_turns_malformed_json_into_a_problem()
    {
        var context = Request("POST", "/api/reservations", "{\"orderId\": [");
        var result = await ExecuteAsync(context, await app.Create<ReservationFunctions>().Create(context.Request, default));

        Assert.Equal(400, result.Status);
        Assert.StartsWith("application/problem+json", result.ContentType, StringComparison.Ordinal);
        Assert.Equal("urn:inventory:problem:malformed-json", result.Body.GetProperty("type").GetString());
        Assert.Equal("/api/reservations", result.Body.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task GetStock_of_an_unknown_product_is_404_naming_it()
    {
        var context = Request("GET", "/api/products/ghost/stock");
        var result = await ExecuteAsync(context, await app.Create<StockFunctions>().Get(context.Request, "ghost", default));

        Assert.Equal(404, result.Status);
        Assert.Equal("ghost", result.Body.GetProperty("productId").GetString());
    }

    [Theory]
    [InlineData(null, "secret", 401)]
    [InlineData("secret", "other", 401)]
    [InlineData("secret", "secret", 200)]
    public async Task ShopifyWebhook_checks_the_signature_before_anything_else(string? configured, string signedWith, int status)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Shopify:WebhookSecret"] = configured }).Build();
        var function = app.Create<ShopifyWebhook>(new ShopifySignature(configuration), app.Create<ShopifyOrders>());
        const string body = """{"id":5,"line_items":[]}""";
        var context = Request("POST", "/api/webhooks/shopify", body,
            ("X-Shopify-Topic", "orders/cancelled"), ("X-Shopify-Hmac-Sha256", ShopifySignature.Sign(Encoding.UTF8.GetBytes(body), signedWith)));

        var result = await ExecuteAsync(context, await function.Receive(context.Request, default));

        Assert.Equal(status, result.Status);
        if (status == 200) Assert.Equal("no-reservation", result.Body.GetProperty("outcome").GetString());
    }
}
