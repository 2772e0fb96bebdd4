using Inventory.Application.Orders;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review (r2, NeverReservedAsync). A shipment of an order refused here at its creation is now listed
/// (<c>nothing-held</c>) beside the refusal, since the units Shopify shipped are still counted on hand. It is listed only
/// when the orders/fulfilled finds the refusal already listed. Shopify does not deliver in order (docs/http-api.md, "Out of
/// order"; for an order cancelled before its create "whichever of the three deliveries comes last lists it"): when
/// orders/fulfilled comes first it records the fulfilment mark and finds nothing listed (no-reservation, not listed), and
/// the orders/create refused after it lists the refusal but never looks at the mark. The shipment is then never listed:
/// on hand stays wrong by the order's units and nothing tells the operator the order left the shelf.
/// </summary>
public sealed class AShipmentReportedBeforeItsRefusedCreateIsListedBesideTheRefusalTests
{
    private const string Order = """{"id":5820637577411,"line_items":[{"id":1,"sku":"SKU-RF2","quantity":3}]}""";

    [Fact]
    public async Task The_refusal_and_the_shipment_are_both_listed_whichever_came_first()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(2, "RF2");

        var fulfilled = await calls.PostAsync("orders/fulfilled", "d-fulfilled", Order);
        var created = await calls.PostAsync("orders/create", "d-create", Order); // a shortfall: refused, listed

        Assert.Equal("no-reservation", fulfilled.Body.GetProperty("outcome").GetString());
        Assert.Equal("needs-attention", created.Body.GetProperty("outcome").GetString());
        var reasons = (await calls.AttentionAsync()).Where(i => i.OrderId == "shopify-5820637577411").Select(i => i.Reason).Order(StringComparer.Ordinal);
        Assert.Equal(["insufficient-stock", ChangeLine.NothingHeld], reasons);
        Assert.Equal(2, (await calls.App.Stock.GetStockAsync("RF2")).QuantityOnHand); // nothing shipped here
    }
}
