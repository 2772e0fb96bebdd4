namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (r2, the attention list's new key). docs/http-api.md lists GET /api/webhooks/shopify/attention as
/// "one item per order and reason, by order id". The items were keyed <c>attention|{orderId}</c> and so listed in order
/// id order; they are now keyed <c>attention|{orderId}|{reason}</c>, and '|' (0x7C) sorts above the digits and letters of
/// an id, so an order whose id extends another's is listed before it ('shopify-58206375770' before 'shopify-5820637577'),
/// and a legacy item <c>attention|{orderId}</c> is split from its order's new items by every longer id. The Quarantine
/// listing faced the same problem and used '!', which sorts below every id character; this key did not. A client or an
/// operator reading "by order id" (or merging pages in that order) sees the list out of order.
/// </summary>
public sealed class TheAttentionListIsInOrderIdOrderTests
{
    private const string Shorter = """{"id":5820637577,"line_items":[{"id":1,"sku":"SKU-NOT-HERE","quantity":1}]}""";
    private const string Longer = """{"id":58206375770,"line_items":[{"id":1,"sku":"SKU-NOT-HERE-EITHER","quantity":1}]}""";

    [Fact]
    public async Task An_order_is_listed_before_an_order_whose_id_extends_its_own()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.PostAsync("orders/create", "d-1", Shorter);
        await calls.PostAsync("orders/create", "d-2", Longer);

        var listed = (await calls.AttentionAsync()).Select(i => i.OrderId).ToArray();

        Assert.Equal(["shopify-5820637577", "shopify-58206375770"], listed); // ordinal order id order, as documented
    }
}
