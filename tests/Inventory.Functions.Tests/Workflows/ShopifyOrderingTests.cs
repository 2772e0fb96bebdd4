using System.Net;
using System.Text;
using Inventory.Functions.Shopify;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>
/// Issue 12, defect 9: Shopify does not deliver in order and retries what it is refused. A cancellation that arrives
/// before its order wins; an order that cannot be reserved is acknowledged and listed for attention, never bounced.
/// </summary>
public sealed class ShopifyOrderingTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private static string Order(string id, string sku, int quantity = 2) =>
        $$"""{"id":{{id}},"line_items":[{"id":1,"sku":"{{sku}}","quantity":{{quantity}}}]}""";

    private static Dictionary<string, string> Headers(string body, string topic, string webhookId) => new()
    {
        ["X-Shopify-Topic"] = topic,
        ["X-Shopify-Hmac-Sha256"] = ShopifySignature.Sign(Encoding.UTF8.GetBytes(body), LocalHostFactory.ShopifySecret),
        ["X-Shopify-Webhook-Id"] = webhookId,
    };

    [SkippableFact]
    public async Task A_cancellation_delivered_before_its_order_means_the_order_reserves_nothing()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "shpo-1", pickFace: 10, sku: "SHPO-1");
        var body = Order("7001", "SHPO-1");

        var cancelled = await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/cancelled", "d-cancel"));
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        var created = await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/create", "d-create"));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(0, (await api.GetJsonAsync("/api/products/shpo-1/stock")).Body.Long("quantityReserved"));
    }

    [SkippableFact]
    public async Task An_unknown_sku_is_acknowledged_and_listed_for_attention()
    {
        var api = host.Api();
        var body = Order("7002", "NO-SUCH-SKU");

        var result = await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/create", "d-unknown"));
        Assert.True((int)result.Status is >= 200 and < 300, $"Shopify must not be asked to retry: {(int)result.Status} {result.Body}");

        var attention = await api.GetJsonAsync("/api/webhooks/shopify/attention");
        Assert.Equal(HttpStatusCode.OK, attention.Status);
        var item = Assert.Single(attention.Body.GetProperty("items").EnumerateArray(), i => i.Str("orderId") == "shopify-7002");
        Assert.Contains("sku", item.Str("reason"), StringComparison.OrdinalIgnoreCase);
        Assert.True(item.TryGetProperty("receivedAt", out _), item.ToString());
    }

    [SkippableFact]
    public async Task A_stock_shortfall_is_acknowledged_and_listed_for_attention()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "shpo-3", pickFace: 1, sku: "SHPO-3");
        var body = Order("7003", "SHPO-3", quantity: 5);

        var result = await api.PostJsonAsync("/api/webhooks/shopify", body, Headers(body, "orders/create", "d-short"));
        Assert.True((int)result.Status is >= 200 and < 300, $"Shopify must not be asked to retry: {(int)result.Status} {result.Body}");

        var attention = (await api.GetJsonAsync("/api/webhooks/shopify/attention")).Body;
        Assert.Contains(attention.GetProperty("items").EnumerateArray(), i => i.Str("orderId") == "shopify-7003");
        Assert.Equal(0, (await api.GetJsonAsync("/api/products/shpo-3/stock")).Body.Long("quantityReserved"));
    }
}
