namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (r2, DELETE /api/webhooks/shopify/attention/{orderId}). docs/http-api.md's error table gives
/// <c>attention-not-found</c> (404) the extra field <c>orderId</c>, and every refusal carries "the fields that caused it".
/// <see cref="Inventory.Application.Orders.AttentionNotFoundException"/> has the order id, but Problems.Members has no
/// case for it, so the problem body has no <c>orderId</c>: a client dismissing several orders cannot tell which one was
/// not listed without parsing the detail text.
/// </summary>
public sealed class AnAttentionNotFoundProblemNamesTheOrderTests
{
    [Fact]
    public async Task The_404_carries_orderId()
    {
        var calls = new ShopifyWebhookCalls();

        var missing = await calls.DismissAsync("shopify-5820637577999");

        Assert.Equal((404, "attention-not-found"), (missing.Status, missing.Body.GetProperty("code").GetString()));
        Assert.True(missing.Body.TryGetProperty("orderId", out var orderId), "no orderId member: " + missing.Body.GetRawText());
        Assert.Equal("shopify-5820637577999", orderId.GetString());
    }
}
