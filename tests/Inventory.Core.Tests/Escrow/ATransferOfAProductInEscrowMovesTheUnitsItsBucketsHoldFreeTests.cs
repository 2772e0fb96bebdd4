using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: a transfer of a product in escrow is decided on the product's partition alone, where every unit
/// granted to a bucket is reserved (its holder's reservation), and nothing gathers the buckets' free units first, as an
/// adjustment or a count does (<see cref="EscrowForcedCountTests"/>). The stock view shows the units available at the
/// location, the transfer of them is refused (409 insufficient stock) while they sit free in a bucket: a false refusal.
/// </summary>
public class ATransferOfAProductInEscrowMovesTheUnitsItsBucketsHoldFreeTests
{
    [Fact]
    public async Task A_transfer_of_units_a_bucket_holds_free_is_applied()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 1)])); // bucket 1: granted 25, 24 free
        Assert.Equal((100, 25), await world.StockOfAsync("P"));
        var view = await app.Stock.GetStockAsync(EscrowWorld.Product);
        Assert.Equal(99, Assert.Single(view.Locations, l => l.LocationId == "L1").QuantityAvailable); // what the merchant sees

        // 80 of the 99 available at L1 move to L2.
        MovementResult? moved = null;
        var refusal = await Record.ExceptionAsync(async () =>
            moved = await app.Transfer.ExecuteAsync(new TransferCommand(EscrowWorld.Product, "L1", "L2", 80, "move-1")));

        Assert.True(refusal is null, $"a transfer of 80 of the 99 units available at L1 was refused: {refusal?.Message}");
        Assert.NotNull(moved);
        var after = await app.Stock.GetStockAsync(EscrowWorld.Product);
        Assert.Equal((20L, 1L), (after.Locations.Single(l => l.LocationId == "L1").QuantityOnHand, after.Locations.Single(l => l.LocationId == "L1").QuantityReserved));
        Assert.Equal(80, after.Locations.Single(l => l.LocationId == "L2").QuantityOnHand);
        await world.AssertEscrowBalancesAsync();
    }
}
