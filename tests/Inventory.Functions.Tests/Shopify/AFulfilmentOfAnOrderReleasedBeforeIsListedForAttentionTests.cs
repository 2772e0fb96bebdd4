namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Left by an earlier fix (<see cref="ACancelOrFulfilOfAnOrderHoldingNothingIsAcknowledgedTests"/>): an orders/fulfilled
/// of an order released before (cancelled) is answered 200 <c>nothing-held</c> and ships nothing, but Shopify says it
/// shipped the units, which the service still counts on hand: sellable stock that is no longer on the shelf. The
/// operator has to hear of it, so the order is listed at <c>GET /api/webhooks/shopify/attention</c> (reason
/// <c>nothing-held</c>), once however often Shopify delivers the event.
/// </summary>
public sealed class AFulfilmentOfAnOrderReleasedBeforeIsListedForAttentionTests
{
    private const string Small = """{"id":5820637577365,"line_items":[{"id":1,"sku":"SKU-FA1","quantity":3}]}""";

    [Fact]
    public async Task A_fulfilment_after_a_cancel_is_listed_with_what_the_operator_must_do()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "FA1");
        await calls.PostAsync("orders/create", "d-create", Small);
        await calls.PostAsync("orders/cancelled", "d-cancel", Small);
        Assert.Empty((await calls.App.Deliveries.AttentionAsync(100, null)).Items);

        var fulfilled = await calls.PostAsync("orders/fulfilled", "d-fulfil", Small);
        await calls.PostAsync("orders/fulfilled", "d-fulfil-2", Small); // the same event under another delivery id

        Assert.Equal((200, "nothing-held"), (fulfilled.Status, fulfilled.Body.GetProperty("outcome").GetString()));
        var item = Assert.Single((await calls.App.Deliveries.AttentionAsync(100, null)).Items);
        Assert.Equal(("shopify-5820637577365", "5820637577365", "orders/fulfilled", "nothing-held"), (item.OrderId, item.ShopifyOrderId, item.Topic, item.Reason));
        Assert.Contains("on hand", item.Detail, StringComparison.Ordinal);
        var stock = await calls.App.Stock.GetStockAsync("FA1");
        Assert.Equal((10, 0), (stock.QuantityOnHand, stock.QuantityReserved)); // nothing shipped here: the operator decides
    }
}
