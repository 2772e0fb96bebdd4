using Inventory.Application.Orders;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (Shopify out-of-order deliveries). Shopify created an order, cancelled it and reported it fulfilled:
/// delivered in that order, the create reserves, the cancel releases, and the fulfilment answers <c>nothing-held</c> and
/// lists the order for attention (Shopify shipped units the service still counts on hand,
/// <see cref="AFulfilmentOfAnOrderReleasedBeforeIsListedForAttentionTests"/>). Delivered out of order (the cancel before
/// the create, the fulfilment anywhere), the same three events ship nothing and list nothing: the orders/create that finds
/// the cancellation mark answers <c>cancelled-before-create</c> without looking at the fulfilment mark
/// (<c>ShopifyOrders.ReserveOrListAsync</c>), and an orders/fulfilled that finds no header answers <c>no-reservation</c>
/// without looking at the cancellation mark (<c>HoldingNothingAsync</c>). The units Shopify shipped are sold again here.
/// A fix: a create that finds both marks, and a fulfilment that finds the cancellation mark (and no reservation), list
/// the order for attention (<c>nothing-held</c>) as the in-order delivery does (or, at least, the shipment leaves on hand).
/// </summary>
public sealed class AFulfilledOrderCancelledBeforeItsCreateIsListedForAttentionTests
{
    private const string Order = """{"id":5820637577391,"line_items":[{"id":1,"sku":"SKU-OO1","quantity":3}]}""";

    [Theory]
    [InlineData("orders/fulfilled", "orders/cancelled", "orders/create")]
    [InlineData("orders/cancelled", "orders/fulfilled", "orders/create")]
    [InlineData("orders/cancelled", "orders/create", "orders/fulfilled")]
    public async Task The_same_events_out_of_order_are_not_lost(string first, string second, string third)
    {
        var inOrder = await DeliverAsync("orders/create", "orders/cancelled", "orders/fulfilled");
        var expected = Assert.Single(inOrder.Attention); // the in-order baseline: listed, reason nothing-held
        Assert.Equal((10, 0), (inOrder.OnHand, inOrder.Reserved));

        var outOfOrder = await DeliverAsync(first, second, third);

        // Either the operator is told (as in order), or the shipment Shopify reported leaves on hand here: never neither.
        var listed = outOfOrder.Attention.Where(i => i.OrderId == "shopify-5820637577391").ToArray();
        Assert.Equal(0, outOfOrder.Reserved);
        Assert.True(listed.Length == 1 || outOfOrder.OnHand == 7,
            $"{first}, {second}, {third}: Shopify shipped the order's 3 units, yet nothing shipped here (on hand {outOfOrder.OnHand}) and the "
            + $"attention list holds {listed.Length} item(s) for it (delivered in order it lists one, reason '{expected.Reason}')");
        if (listed.Length == 1) Assert.Equal(expected.Reason, listed[0].Reason);
    }

    private static async Task<(long OnHand, long Reserved, IReadOnlyList<AttentionItem> Attention)> DeliverAsync(params string[] topics)
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "OO1");
        foreach (var topic in topics)
        {
            var answer = await calls.PostAsync(topic, "d-" + topic.Replace('/', '-'), Order);
            Assert.Equal(200, answer.Status);
        }
        var stock = await calls.App.Stock.GetStockAsync("OO1");
        return (stock.QuantityOnHand, stock.QuantityReserved, await calls.AttentionAsync());
    }
}
