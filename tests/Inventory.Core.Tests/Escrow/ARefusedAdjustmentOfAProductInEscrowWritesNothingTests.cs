using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// "A refused request writes nothing" (docs/http-api.md, Errors). A decrease or a count of a product in escrow first has
/// its buckets give their free units back (<c>AdjustStock</c>: <c>Escrow.GatherAsync</c>), and only then is the adjustment
/// decided. An adjustment refused on its own merits (more than is on hand, or a reference bound to another product) has
/// by then moved units between the buckets and the product: commits, and return and release entries in the product's
/// ledger, for a request answered 409.
/// </summary>
public class ARefusedAdjustmentOfAProductInEscrowWritesNothingTests
{
    [Fact]
    public async Task A_decrease_beyond_what_is_on_hand_is_refused_without_a_write()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        var app = world.Instance(1);
        var ledgerBefore = (await new Inventory.Testing.StockScenario(app).LedgerAsync(EscrowWorld.Product)).Count;
        var commits = world.Memory.Commits;

        await Assert.ThrowsAsync<StockWouldGoNegativeException>(() =>
            app.Adjust.ExecuteAsync(new AdjustCommand(EscrowWorld.Product, "L1", -500, null, "damaged", "adj-too-many")));

        var ledgerAfter = (await new Inventory.Testing.StockScenario(app).LedgerAsync(EscrowWorld.Product)).Count;
        Assert.True(world.Memory.Commits == commits,
            $"the refused adjustment made {world.Memory.Commits - commits} commits and {ledgerAfter - ledgerBefore} ledger entries");
    }
}
