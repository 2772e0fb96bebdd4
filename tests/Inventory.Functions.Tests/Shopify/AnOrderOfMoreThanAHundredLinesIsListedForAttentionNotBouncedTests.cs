using System.Text;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review: "Never bounced": Shopify retries a refused delivery for hours and may then drop the subscription, so an
/// order that cannot be reserved is answered 200 needs-attention and listed. An orders/create of 101 line items (a large
/// B2B order, or one SKU on many personalised lines) is refused by ReserveStock's 100-line limit as validation-failed,
/// which ShopifyOrders does not catch: the webhook answers 400, Shopify keeps retrying, and the order is on no list.
/// </summary>
public sealed class AnOrderOfMoreThanAHundredLinesIsListedForAttentionNotBouncedTests
{
    [Fact]
    public async Task A_101_line_order_is_acknowledged_and_listed_for_attention()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(1_000, "S1");
        var lines = new StringBuilder();
        for (var i = 0; i < 101; i++) lines.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(1000 + i).Append(",\"sku\":\"SKU-S1\",\"quantity\":1}");
        var body = $$"""{"id":880001,"line_items":[{{lines}}]}""";

        var result = await calls.PostAsync("orders/create", "wh-101", body);

        Assert.True(result.Status is >= 200 and < 300, $"Shopify must not be asked to retry: {result.Status} {result.Body}");
        var attention = await calls.App.Deliveries.AttentionAsync(100, null);
        Assert.Contains(attention.Items, i => i.OrderId == "shopify-880001");
    }
}
