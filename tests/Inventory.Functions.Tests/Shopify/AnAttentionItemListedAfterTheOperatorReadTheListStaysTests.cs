using Inventory.Application.Orders;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (r2, DismissAttention). docs/http-api.md: DELETE /api/webhooks/shopify/attention/{orderId} removes the
/// order's items, "an item listed again after the list was read stays"; the operation says "(a new delivery) stays" and
/// WebhookDeliveries.DismissAsync "one listed again meanwhile (a new delivery, after the operator looked) stays for them to
/// see". The DELETE takes nothing of what the operator read (no ETag, no time): DismissAttention reads the order's items
/// itself, right before deleting them under the ETags it just read. An item listed after the operator's GET (here Shopify
/// reports the refused order shipped) is read by the DELETE and removed with the rest; only one landing in the
/// milliseconds between the DELETE's own read and its delete stays. The operator dismisses the refusal they handled and
/// silently loses the shipment they never saw, so on hand stays wrong.
/// </summary>
public sealed class AnAttentionItemListedAfterTheOperatorReadTheListStaysTests
{
    private const string Order = """{"id":5820637577421,"line_items":[{"id":1,"sku":"SKU-RF3","quantity":3}]}""";

    [Fact]
    public async Task A_shipment_listed_after_the_operator_read_the_refusal_is_not_dismissed_with_it()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(2, "RF3");
        await calls.PostAsync("orders/create", "d-create", Order); // refused: a shortfall
        var read = Assert.Single(await calls.AttentionAsync()); // what the operator sees and handles
        Assert.Equal("insufficient-stock", read.Reason);

        await calls.PostAsync("orders/fulfilled", "d-fulfilled", Order); // listed after the operator read the list
        var dismissed = await calls.DismissAsync("shopify-5820637577421", read.Reason); // the operator names what they handled

        Assert.Equal(204, dismissed.Status);
        var left = await calls.AttentionAsync();
        Assert.Equal([ChangeLine.NothingHeld], left.Select(i => i.Reason)); // the shipment nobody has seen yet stays
    }
}
