using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: a fulfilment of an order reserved in a bucket checks only the bucket's on hand. After a forced count
/// left the product fewer units than the order ships, the bucket ships them and the settlement in the product then fails
/// for good (its on hand would go negative: <see cref="StockInvariantException"/>, not a refusal): the change's intent
/// stays open, every retry and every recovery sweep fails on it, and the bucket has shipped units the product still
/// counts. Without escrow the same fulfilment is refused before anything moves.
/// </summary>
public class EscrowForcedCountShipmentTests
{
    [Fact]
    public async Task A_shipment_in_a_bucket_of_units_a_forced_count_took_from_the_product_is_refused_before_the_bucket_ships()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        await app.Adjust.ExecuteAsync(new AdjustCommand(EscrowWorld.Product, "L1", null, 2, "count", "count-1", Force: true));

        var fulfil = () => app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", null, "ship-1"));

        await Assert.ThrowsAsync<InsufficientStockException>(fulfil);
        Assert.Equal((3, 3), await world.StockOfAsync("P~1")); // nothing shipped in the bucket (its free units came back before the count)
    }
}
