namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review: an orders/create that could not be reserved (a stock shortfall) is answered 200 needs-attention and
/// its refusal is recorded on the order header (status REJECTED). When the merchant then fulfils that order in Shopify
/// (from stock the service does not know about, or after restocking by hand), the orders/fulfilled delivery is answered
/// 409 invalid-state ("Reservation ... is Rejected; nothing to fulfil"), and so is every retry: Shopify retries a
/// refused delivery for hours and may then drop the webhook subscription, after which no order reaches the service.
/// docs/http-api.md (Shopify): "Cancel/fulfil of an order never reserved answers 200 with outcome no-reservation", and
/// only contention may bounce a delivery. ShopifyOrders.ChangeAsync treats only ReservationNotFoundException as "never
/// reserved"; a recorded rejection escapes as a 409.
/// </summary>
public sealed class AFulfilmentOfAnOrderThatWasNeverReservedIsAcknowledgedNotBouncedTests
{
    private const string Order = """{"id":5820637577361,"line_items":[{"id":13955117580433,"sku":"SKU-NR1","quantity":30}]}""";

    [Fact]
    public async Task Orders_fulfilled_for_an_order_listed_for_attention_is_200_no_reservation()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "NR1");

        var created = await calls.PostAsync("orders/create", "d-create", Order);
        Assert.Equal((200, "needs-attention"), (created.Status, created.Body.GetProperty("outcome").GetString()));

        var fulfilled = await calls.PostAsync("orders/fulfilled", "d-fulfil", Order);

        Assert.True(fulfilled.Status == 200, $"orders/fulfilled of an order never reserved was bounced: {fulfilled.Status} {fulfilled.Body}");
        Assert.Equal("no-reservation", fulfilled.Body.GetProperty("outcome").GetString());
        var stock = await calls.App.Stock.GetStockAsync("NR1");
        Assert.Equal((10, 0), (stock.QuantityOnHand, stock.QuantityReserved)); // nothing was held, so nothing ships
    }

    [Fact]
    public async Task A_redelivery_of_that_fulfilment_is_not_bounced_either()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "NR1");
        await calls.PostAsync("orders/create", "d-create", Order);

        var first = await calls.PostAsync("orders/fulfilled", "d-fulfil", Order);
        var retry = await calls.PostAsync("orders/fulfilled", "d-fulfil", Order); // Shopify retries what it was refused, same id

        Assert.Equal((200, 200), (first.Status, retry.Status));
    }
}
