using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Storage;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (r2, the attention list's new key). Items are now one per order and reason, keyed
/// <c>attention|{orderId}|{reason}</c>, "the same reason again replaces its item: a redelivery"; items written before are
/// kept as <c>attention|{orderId}</c> (WebhookDeliveries). A reason listed again for an order listed before the change
/// is written beside its legacy item, never over it: the same event delivered again under another delivery id (which
/// <see cref="AFulfilmentOfAnOrderReleasedBeforeIsListedForAttentionTests"/> lists once) now lists the order's
/// <c>nothing-held</c> twice, against docs/http-api.md's "one item per order and reason".
/// </summary>
public sealed class AnOrderListedBeforeTheKeyChangeKeepsOneItemPerReasonTests
{
    private const string Small = """{"id":5820637577431,"line_items":[{"id":1,"sku":"SKU-FA9","quantity":3}]}""";

    [Fact]
    public async Task A_shipment_listed_before_and_delivered_again_is_listed_once()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "FA9");
        await calls.PostAsync("orders/create", "d-create", Small);
        await calls.PostAsync("orders/cancelled", "d-cancel", Small);
        // The first orders/fulfilled, handled before the key changed: listed under attention|{orderId}, as then.
        var before = new AttentionItem("shopify-5820637577431", "5820637577431", "orders/fulfilled", ChangeLine.NothingHeld,
            "Shopify reports the order fulfilled, but units of it were not held here any more.", new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await calls.App.Store.CommitAsync(Collection.Quarantine, WebhookDeliveries.AttentionPartition,
            [new DocumentWrite.Upsert(WebhookDeliveries.AttentionPrefix + before.OrderId, DocumentJson.Write(before)) { Type = "shopifyAttention" }]);

        await calls.PostAsync("orders/fulfilled", "d-fulfil-2", Small); // the same event under another delivery id, after the change

        var reasons = (await calls.AttentionAsync()).Where(i => i.OrderId == before.OrderId).Select(i => i.Reason);
        Assert.Equal([ChangeLine.NothingHeld], reasons);
    }
}
