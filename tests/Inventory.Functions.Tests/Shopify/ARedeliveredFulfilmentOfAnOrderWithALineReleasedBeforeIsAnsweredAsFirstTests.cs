using Inventory.Application.Orders;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review of ef8e5a9 (Shopify outcomes). An order of two products; an operator releases one line here
/// (<c>/release</c> of PR2: damaged). Shopify then reports the order fulfilled: the first delivery finds the order open
/// (PR1 still held), ships PR1 and answers <c>fulfilled</c>, listing nothing. Shopify delivers the same event again under
/// another X-Shopify-Webhook-Id (docs/http-api.md: it meets the application's own replay rules, answered as the first).
/// Now the order reads FULFILLED with nothing remaining and a line released, which the new branch of
/// <c>ShopifyOrders.HoldingNothingAsync</c> takes for "shipped in part here and the rest released": the redelivery answers
/// <c>nothing-held</c> and lists the order for attention, where the first delivery answered <c>fulfilled</c> and listed
/// nothing. The answer and the attention list depend on how often Shopify delivered, and the first delivery, which did
/// ship released PR2 units in Shopify, is not listed. A fix: decide on what the fulfilment itself found (a fulfilment
/// replayed by its intent answers what it answered first), and list a released line when the first fulfilment ships.
/// </summary>
public sealed class ARedeliveredFulfilmentOfAnOrderWithALineReleasedBeforeIsAnsweredAsFirstTests
{
    [Fact]
    public async Task A_second_delivery_of_orders_fulfilled_answers_and_lists_as_the_first()
    {
        const string order = """{"id":5820637577391,"line_items":[{"id":1,"sku":"SKU-PR1","quantity":3},{"id":2,"sku":"SKU-PR2","quantity":2}]}""";
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "PR1", "PR2");
        await calls.PostAsync("orders/create", "d-create", order);
        await calls.App.Release.ExecuteAsync(new ReservationChangeCommand("shopify-5820637577391", [new("PR2")]));

        var first = await calls.PostAsync("orders/fulfilled", "d-fulfil-1", order);
        var listedFirst = (await calls.AttentionAsync()).Count(i => i.OrderId == "shopify-5820637577391");
        var again = await calls.PostAsync("orders/fulfilled", "d-fulfil-2", order);
        var listedAgain = (await calls.AttentionAsync()).Count(i => i.OrderId == "shopify-5820637577391");

        Assert.Equal((200, 200), (first.Status, again.Status));
        var (o1, o2) = (first.Body.GetProperty("outcome").GetString(), again.Body.GetProperty("outcome").GetString());
        Assert.True(o1 == o2 && listedFirst == listedAgain,
            $"the same orders/fulfilled answered '{o1}' (attention items: {listedFirst}) first and '{o2}' (attention items: {listedAgain}) on redelivery");
        Assert.Equal(7, (await calls.App.Stock.GetStockAsync("PR1")).QuantityOnHand); // shipped once
    }
}
