namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review. Shopify does not deliver in order. orders/fulfilled delivered before orders/create answers no-reservation
/// and leaves no mark (only orders/cancelled does); the late orders/create then reserves the order's units, and nothing
/// ever ships or releases them: Shopify has already fulfilled the order and sends no further event. The units stay
/// reserved for good, unavailable to every other order. A fulfilment seen first must win over a later create, as a
/// cancellation does (record a mark; create reserves nothing, or ships at once).
/// </summary>
public sealed class AFulfilmentDeliveredBeforeItsOrderLeavesNothingReservedTests
{
    [Fact]
    public async Task Fulfilled_then_create_leaves_no_units_reserved_for_the_shipped_order()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "S2");
        const string body = """{"id":880002,"line_items":[{"id":1,"sku":"SKU-S2","quantity":3}]}""";

        var fulfilled = await calls.PostAsync("orders/fulfilled", "wh-f", body);
        Assert.Equal(200, fulfilled.Status);
        var created = await calls.PostAsync("orders/create", "wh-c", body);
        Assert.Equal(200, created.Status);

        var stock = await calls.App.Stock.GetStockAsync("S2");
        Assert.Equal(0, stock.QuantityReserved);
        Assert.Equal(7, stock.QuantityOnHand); // shipped: the units left with the order Shopify fulfilled
    }
}
