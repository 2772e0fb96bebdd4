using Inventory.Application.Orders;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (the attention list). An order refused here at its creation (a shortfall) is listed for attention
/// with the refusal's reason. When Shopify then reports it fulfilled, its units left the shelf while nothing here held
/// or shipped them, so on hand is wrong by the order's quantity, exactly as for an order released before
/// (<see cref="AFulfilmentOfAnOrderReleasedBeforeIsListedForAttentionTests"/>). The fulfilment was answered
/// <c>no-reservation</c> and nothing said the order had shipped; and the list kept one item per order, so a second reason
/// would have replaced the first. Now the shipment is listed with reason <c>nothing-held</c> beside the refusal, both kept.
/// </summary>
public sealed class AShipmentOfAnOrderRefusedHereIsListedBesideItsRefusalTests
{
    private const string Order = """{"id":5820637577401,"line_items":[{"id":1,"sku":"SKU-RF1","quantity":3}]}""";

    [Fact]
    public async Task The_refusal_and_the_shipment_are_both_listed()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(2, "RF1");

        var created = await calls.PostAsync("orders/create", "d-create", Order);
        var refusal = Assert.Single(await calls.AttentionAsync());
        var fulfilled = await calls.PostAsync("orders/fulfilled", "d-fulfilled", Order);

        Assert.Equal("needs-attention", created.Body.GetProperty("outcome").GetString());
        Assert.Equal(200, fulfilled.Status);
        Assert.Equal("no-reservation", fulfilled.Body.GetProperty("outcome").GetString()); // nothing here was reserved or shipped
        var listed = (await calls.AttentionAsync()).Where(i => i.OrderId == "shopify-5820637577401").Select(i => (i.Topic, i.Reason)).ToArray();
        Assert.Equal([("orders/create", refusal.Reason), ("orders/fulfilled", ChangeLine.NothingHeld)], listed.OrderBy(i => i.Topic, StringComparer.Ordinal));
        Assert.Equal(2, (await calls.App.Stock.GetStockAsync("RF1")).QuantityOnHand); // nothing shipped here: a count will tell
    }

    [Fact]
    public async Task A_redelivered_shipment_lists_it_once()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(2, "RF1");
        await calls.PostAsync("orders/create", "d-create", Order);

        await calls.PostAsync("orders/fulfilled", "d-fulfilled-1", Order);
        await calls.PostAsync("orders/fulfilled", "d-fulfilled-2", Order);

        Assert.Equal(2, (await calls.AttentionAsync()).Count);
    }

    [Fact]
    public async Task A_shipment_of_an_order_never_seen_here_is_not_listed()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(2, "RF1");

        var fulfilled = await calls.PostAsync("orders/fulfilled", "d-fulfilled", Order); // placed before the integration

        Assert.Equal("no-reservation", fulfilled.Body.GetProperty("outcome").GetString());
        Assert.Empty(await calls.AttentionAsync());
    }
}
