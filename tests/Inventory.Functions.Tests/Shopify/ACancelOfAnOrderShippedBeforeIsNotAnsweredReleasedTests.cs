namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (Shopify outcomes). An orders/cancelled of an order already shipped here (orders/fulfilled, or the
/// operator's fulfilment) releases nothing: the release's only line is <c>nothing-held</c> and stock does not move. Yet
/// the delivery answers outcome <c>released</c>, a change that did not happen (the same class of answer the review of
/// <see cref="ACancelOrFulfilOfAnOrderHoldingNothingIsAcknowledgedTests"/> removed for rejected orders).
/// <c>ShopifyOrders.ChangeAsync</c> answers its <c>done</c> word for any change that did not throw, and
/// <c>HoldingNothingAsync</c> only recognises a REJECTED order, or a RELEASED one met by a fulfilment. A fix: when every
/// line of the change came back <c>nothing-held</c> (or the order is closed before the change), answer
/// <c>nothing-held</c>, as the fulfilment of a released order does.
/// </summary>
public sealed class ACancelOfAnOrderShippedBeforeIsNotAnsweredReleasedTests
{
    private const string Order = """{"id":5820637577371,"line_items":[{"id":1,"sku":"SKU-CS1","quantity":3}]}""";

    [Fact]
    public async Task Cancelled_after_fulfilled_releases_nothing_and_does_not_say_released()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "CS1");
        Assert.Equal("reserved", (await calls.PostAsync("orders/create", "d-create", Order)).Body.GetProperty("outcome").GetString());
        Assert.Equal("fulfilled", (await calls.PostAsync("orders/fulfilled", "d-fulfil", Order)).Body.GetProperty("outcome").GetString());

        var cancelled = await calls.PostAsync("orders/cancelled", "d-cancel", Order);

        Assert.Equal(200, cancelled.Status);
        var stock = await calls.App.Stock.GetStockAsync("CS1");
        Assert.Equal((7, 0), (stock.QuantityOnHand, stock.QuantityReserved)); // nothing released: it had shipped
        var outcome = cancelled.Body.GetProperty("outcome").GetString();
        Assert.True(outcome != "released",
            $"orders/cancelled of an order shipped before released nothing (change lines: {cancelled.Body.GetProperty("reservation").GetProperty("change").GetProperty("lines")}), yet answered outcome '{outcome}'");
    }
}
