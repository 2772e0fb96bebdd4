namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Next to <see cref="AFulfilmentOfAnOrderThatWasNeverReservedIsAcknowledgedNotBouncedTests"/>: a cancel or fulfil of an
/// order that holds nothing is never bounced (Shopify retries a refused delivery for hours, then may drop the
/// subscription) and never reports a change that did not happen. A rejected order was never reserved (any number of
/// products); a reserved order cancelled before holds nothing more to ship.
/// </summary>
public sealed class ACancelOrFulfilOfAnOrderHoldingNothingIsAcknowledgedTests
{
    private const string OneProduct = """{"id":5820637577362,"line_items":[{"id":1,"sku":"SKU-NH1","quantity":30}]}""";
    private const string TwoProducts = """{"id":5820637577363,"line_items":[{"id":1,"sku":"SKU-NH1","quantity":3},{"id":2,"sku":"SKU-NH2","quantity":30}]}""";
    private const string Small = """{"id":5820637577364,"line_items":[{"id":1,"sku":"SKU-NH1","quantity":3}]}""";

    [Theory]
    [InlineData(OneProduct, "orders/cancelled")]
    [InlineData(OneProduct, "orders/fulfilled")]
    [InlineData(TwoProducts, "orders/cancelled")]
    [InlineData(TwoProducts, "orders/fulfilled")]
    public async Task A_change_of_a_rejected_order_is_200_no_reservation_and_changes_nothing(string order, string topic)
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "NH1", "NH2");
        var created = await calls.PostAsync("orders/create", "d-create", order);
        Assert.Equal((200, "needs-attention"), (created.Status, created.Body.GetProperty("outcome").GetString()));

        var changed = await calls.PostAsync(topic, "d-change", order);

        Assert.True(changed.Status == 200, $"{topic} of a rejected order: {changed.Status} {changed.Body}");
        Assert.Equal("no-reservation", changed.Body.GetProperty("outcome").GetString()); // not "released" with lines "applied"
        foreach (var p in new[] { "NH1", "NH2" })
        {
            var stock = await calls.App.Stock.GetStockAsync(p);
            Assert.Equal((10, 0), (stock.QuantityOnHand, stock.QuantityReserved));
        }
    }

    [Fact]
    public async Task Fulfilled_after_cancelled_is_200_nothing_held_and_ships_nothing()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "NH1");
        Assert.Equal("reserved", (await calls.PostAsync("orders/create", "d-create", Small)).Body.GetProperty("outcome").GetString());
        Assert.Equal("released", (await calls.PostAsync("orders/cancelled", "d-cancel", Small)).Body.GetProperty("outcome").GetString());

        var fulfilled = await calls.PostAsync("orders/fulfilled", "d-fulfil", Small);
        var retry = await calls.PostAsync("orders/fulfilled", "d-fulfil-2", Small); // the same event under another delivery id

        Assert.True(fulfilled.Status == 200, $"orders/fulfilled after orders/cancelled was bounced: {fulfilled.Status} {fulfilled.Body}");
        Assert.Equal("nothing-held", fulfilled.Body.GetProperty("outcome").GetString());
        Assert.Equal((200, "nothing-held"), (retry.Status, retry.Body.GetProperty("outcome").GetString()));
        var stock = await calls.App.Stock.GetStockAsync("NH1");
        Assert.Equal((10, 0), (stock.QuantityOnHand, stock.QuantityReserved)); // released before: nothing left to ship
    }
}
