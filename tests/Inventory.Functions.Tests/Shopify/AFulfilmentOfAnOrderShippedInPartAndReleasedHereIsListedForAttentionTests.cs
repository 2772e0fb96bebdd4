using Inventory.Application.Orders;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (Shopify outcomes, attention list). An order Shopify created is handled here in part: some units are
/// shipped through <c>POST /api/reservations/{id}/fulfill</c> and the rest released (<c>/release</c>: damaged, short...).
/// Shopify then reports the whole order fulfilled: it shipped the units released here, which the service still counts on
/// hand, exactly the case <see cref="AFulfilmentOfAnOrderReleasedBeforeIsListedForAttentionTests"/> lists for attention.
/// But <c>ShopifyOrders.HoldingNothingAsync</c> recognises only an order whose status is RELEASED; one that shipped
/// anything reads FULFILLED and goes to the fulfilment, which ships nothing. With one product the delivery answers
/// <c>fulfilled</c> (its line <c>nothing-held</c>) and nothing is listed; with two products the plan finds nothing to
/// ship and a product released, throws <c>invalid-state</c>, and the webhook answers 409, which Shopify retries for hours
/// and may then drop the subscription ("never bounced"). A fix: an orders/fulfilled of an order that holds nothing any
/// more and released units (any line with <c>released</c> &gt; 0 and nothing remaining) answers 200 <c>nothing-held</c>,
/// ships nothing, and is listed for attention as a released order is.
/// </summary>
public sealed class AFulfilmentOfAnOrderShippedInPartAndReleasedHereIsListedForAttentionTests
{
    [Fact]
    public async Task One_product_shipped_in_part_and_the_rest_released()
    {
        const string order = """{"id":5820637577381,"line_items":[{"id":1,"sku":"SKU-PR1","quantity":3}]}""";
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "PR1");
        await calls.PostAsync("orders/create", "d-create", order);
        await calls.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("shopify-5820637577381", [new("PR1", 1)]));
        await calls.App.Release.ExecuteAsync(new ReservationChangeCommand("shopify-5820637577381"));

        var fulfilled = await calls.PostAsync("orders/fulfilled", "d-fulfil", order);

        await AssertAcknowledgedAndListedAsync(calls, fulfilled, "shopify-5820637577381");
        Assert.Equal((9, 0), await StockAsync(calls, "PR1")); // only the unit shipped here left
    }

    [Fact]
    public async Task Two_products_one_shipped_one_released()
    {
        const string order = """{"id":5820637577382,"line_items":[{"id":1,"sku":"SKU-PR1","quantity":3},{"id":2,"sku":"SKU-PR2","quantity":2}]}""";
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "PR1", "PR2");
        await calls.PostAsync("orders/create", "d-create", order);
        await calls.App.Release.ExecuteAsync(new ReservationChangeCommand("shopify-5820637577382", [new("PR2")]));
        await calls.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("shopify-5820637577382", [new("PR1")]));

        var fulfilled = await calls.PostAsync("orders/fulfilled", "d-fulfil", order);

        await AssertAcknowledgedAndListedAsync(calls, fulfilled, "shopify-5820637577382");
        Assert.Equal((7, 0), await StockAsync(calls, "PR1"));
        Assert.Equal((10, 0), await StockAsync(calls, "PR2")); // released here; Shopify's shipment is the operator's to count
    }

    private static async Task AssertAcknowledgedAndListedAsync(ShopifyWebhookCalls calls, (int Status, System.Text.Json.JsonElement Body, string? ContentType) fulfilled, string orderId)
    {
        Assert.True(fulfilled.Status == 200, $"orders/fulfilled of an order shipped in part and released here was bounced: {fulfilled.Status} {fulfilled.Body}");
        var outcome = fulfilled.Body.GetProperty("outcome").GetString();
        var listed = (await calls.AttentionAsync()).Where(i => i.OrderId == orderId).ToArray();
        Assert.True(outcome == "nothing-held" && listed.Length == 1,
            $"Shopify shipped units released here, yet the delivery answered '{outcome}' and the attention list holds {listed.Length} item(s) for the order");
        Assert.Equal(("orders/fulfilled", "nothing-held"), (listed[0].Topic, listed[0].Reason));
    }

    private static async Task<(long OnHand, long Reserved)> StockAsync(ShopifyWebhookCalls calls, string productId)
    {
        var stock = await calls.App.Stock.GetStockAsync(productId);
        return (stock.QuantityOnHand, stock.QuantityReserved);
    }
}
