using System.Net;
using System.Text;
using Inventory.Functions.Shopify;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

public sealed class ShopifyWebhookTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    // 2^53 + 1: a double would turn it into ...992.
    private const string BigId = "9007199254740993";

    private static string Order(string id, string sku, int quantity = 2) =>
        $$"""{"id":{{id}},"email":"a@example.com","total_price":"19.90","line_items":[{"id":12345678901234567,"sku":"{{sku}}","quantity":{{quantity}},"price":"9.95"}]}""";

    private static Dictionary<string, string> Headers(string body, string topic, string? webhookId = null, string secret = LocalHostFactory.ShopifySecret)
    {
        var headers = new Dictionary<string, string>
        {
            ["X-Shopify-Topic"] = topic,
            ["X-Shopify-Hmac-Sha256"] = ShopifySignature.Sign(Encoding.UTF8.GetBytes(body), secret),
        };
        if (webhookId is not null) headers["X-Shopify-Webhook-Id"] = webhookId;
        return headers;
    }

    [SkippableFact]
    public async Task A_signed_order_is_reserved_by_sku_under_its_exact_64_bit_id()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "shp-1", pickFace: 10, sku: "SHP-SKU-1");
        var body = Order(BigId, "SHP-SKU-1");
        var result = await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/create", "wh-1"));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("reserved", result.Body.Str("outcome"));
        Assert.Equal(BigId, result.Body.Str("shopifyOrderId"));
        Assert.Equal(HttpStatusCode.OK, (await api.GetJsonAsync($"/api/reservations/shopify-{BigId}")).Status);
        Assert.Equal(2, (await api.GetJsonAsync("/api/products/shp-1/stock")).Body.Long("quantityReserved"));
    }

    [SkippableFact]
    public async Task A_wrong_or_missing_signature_is_401_and_does_nothing()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "shp-2", pickFace: 10, sku: "SHP-SKU-2");
        var body = Order("1002", "SHP-SKU-2");
        var wrong = Headers(body, "orders/create", secret: "not-the-secret");
        var missing = Headers(body, "orders/create");
        missing.Remove("X-Shopify-Hmac-Sha256");
        var tampered = Headers(body, "orders/create");

        Http.AssertProblem(await api.PostJsonAsync("/api/webhooks/shopify", body, wrong), HttpStatusCode.Unauthorized, "invalid-signature");
        Http.AssertProblem(await api.PostJsonAsync("/api/webhooks/shopify", body, missing), HttpStatusCode.Unauthorized, "invalid-signature");
        Http.AssertProblem(await api.PostJsonAsync("/api/webhooks/shopify", body.Replace("\"quantity\":2", "\"quantity\":9", StringComparison.Ordinal), tampered),
            HttpStatusCode.Unauthorized, "invalid-signature");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetJsonAsync("/api/reservations/shopify-1002")).Status);
        Assert.Equal(0, (await api.GetJsonAsync("/api/products/shp-2/stock")).Body.Long("quantityReserved"));
    }

    [SkippableFact]
    public async Task A_redelivery_by_webhook_id_or_by_order_event_has_no_second_effect()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "shp-3", pickFace: 10, sku: "SHP-SKU-3");
        var body = Order("1003", "SHP-SKU-3", quantity: 3);
        await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/create", "wh-3"));

        var sameDelivery = await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/create", "wh-3"));
        var sameEvent = await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/create", "wh-3-resent"));

        Assert.Equal(HttpStatusCode.OK, sameDelivery.Status);
        Assert.True(sameDelivery.Body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, sameEvent.Status);
        Assert.Equal("already-reserved", sameEvent.Body.Str("outcome"));
        Assert.Equal(3, (await api.GetJsonAsync("/api/products/shp-3/stock")).Body.Long("quantityReserved"));
        Assert.True((await host.App.Invariants.CheckAsync("shp-3")).Holds);
    }

    [SkippableFact]
    public async Task Cancelled_releases_and_fulfilled_ships_once()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "shp-4", pickFace: 10, sku: "SHP-SKU-4");
        var a = Order("1004", "SHP-SKU-4", quantity: 2);
        var b = Order("1005", "SHP-SKU-4", quantity: 3);
        await api.PostJsonAsync("/api/webhooks/shopify", a, Headers(a, "orders/create"));
        await api.PostJsonAsync("/api/webhooks/shopify", b, Headers(b, "orders/create"));

        Assert.Equal("released", (await api.PostJsonAsync("/api/webhooks/shopify", a, Headers(a, "orders/cancelled", "c-1"))).Body.Str("outcome"));
        Assert.Equal("fulfilled", (await api.PostJsonAsync("/api/webhooks/shopify", b, Headers(b, "orders/fulfilled", "f-1"))).Body.Str("outcome"));
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync("/api/webhooks/shopify", b, Headers(b, "orders/fulfilled", "f-2"))).Status);

        var stock = (await api.GetJsonAsync("/api/products/shp-4/stock")).Body;
        Assert.Equal(7, stock.Long("quantityOnHand"));
        Assert.Equal(0, stock.Long("quantityReserved"));
    }

    [SkippableFact]
    public async Task Unknown_skus_are_acknowledged_listed_for_attention_and_nothing_is_reserved()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "shp-5", pickFace: 10, sku: "SHP-SKU-5");
        var body = """{"id":1006,"line_items":[{"id":1,"sku":"SHP-SKU-5","quantity":1},{"id":2,"sku":"NO-SUCH-SKU","quantity":1}]}""";
        var refused = await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/create"));

        // Issue 12: Shopify retries refusals and may drop the subscription, so the order is acknowledged and listed.
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("needs-attention", refused.Body.Str("outcome"));
        var item = Assert.Single((await api.GetJsonAsync("/api/webhooks/shopify/attention")).Body.GetProperty("items").EnumerateArray(),
            i => i.Str("orderId") == "shopify-1006");
        Assert.Equal("unknown-sku", item.Str("reason"));
        Assert.Contains("NO-SUCH-SKU", item.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(0, (await api.GetJsonAsync("/api/products/shp-5/stock")).Body.Long("quantityReserved"));
    }
}

/// <summary>A host with no Shopify:WebhookSecret trusts no webhook.</summary>
public sealed class ShopifyWithoutSecretTests(ShopifyWithoutSecretTests.Host host) : IClassFixture<ShopifyWithoutSecretTests.Host>
{
    public sealed class Host : LocalHostFactory
    {
        protected override string? WebhookSecret => null;
    }

    [SkippableFact]
    public async Task Every_webhook_is_401_when_no_secret_is_configured()
    {
        var api = host.Api();
        const string body = """{"id":1,"line_items":[]}""";
        var headers = new Dictionary<string, string>
        {
            ["X-Shopify-Topic"] = "orders/create",
            ["X-Shopify-Hmac-Sha256"] = ShopifySignature.Sign(Encoding.UTF8.GetBytes(body), ""),
        };
        Http.AssertProblem(await api.PostJsonAsync("/api/webhooks/shopify", body, headers), HttpStatusCode.Unauthorized, "invalid-signature");
    }
}
