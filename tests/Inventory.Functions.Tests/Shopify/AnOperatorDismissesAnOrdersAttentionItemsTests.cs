namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (the attention list). Items were never removed: an order the operator had dealt with (the SKU added
/// and the order reserved by hand, the locations counted after a shipment) stayed listed for good, among the new ones
/// that still need someone. The operator now dismisses an order's items once handled.
/// </summary>
public sealed class AnOperatorDismissesAnOrdersAttentionItemsTests
{
    private const string Unknown = """{"id":5820637577501,"line_items":[{"id":1,"sku":"SKU-NOT-HERE","quantity":1}]}""";
    private const string Other = """{"id":5820637577502,"line_items":[{"id":1,"sku":"SKU-NOT-HERE-EITHER","quantity":1}]}""";

    [Fact]
    public async Task A_dismissed_order_leaves_the_list_and_the_others_stay()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.PostAsync("orders/create", "d-1", Unknown);
        await calls.PostAsync("orders/create", "d-2", Other);

        var dismissed = await calls.DismissAsync("shopify-5820637577501");

        Assert.Equal(204, dismissed.Status);
        Assert.Equal(["shopify-5820637577502"], (await calls.AttentionAsync()).Select(i => i.OrderId));
    }

    [Fact]
    public async Task Dismissing_an_order_not_listed_is_a_404_problem()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.PostAsync("orders/create", "d-1", Unknown);
        await calls.DismissAsync("shopify-5820637577501");

        var again = await calls.DismissAsync("shopify-5820637577501");
        var prefix = await calls.DismissAsync("shopify-582063757750"); // a prefix of a listed id is not that order

        Assert.Equal(404, again.Status);
        Assert.Equal("attention-not-found", again.Body.GetProperty("code").GetString());
        Assert.Equal(404, prefix.Status);
    }

    [Fact]
    public async Task A_bad_order_id_is_a_400()
    {
        var calls = new ShopifyWebhookCalls();

        var bad = await calls.DismissAsync("bad\nid");

        Assert.Equal(400, bad.Status);
    }
}
