using Inventory.Application.Counts;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review (h1): a cycle count's row is applied "exactly as POST /api/stock/adjustments would" (CountPass), and a
/// counted adjustment of a product in escrow that would be refused even with every bucket's free units back gathers
/// nothing, so its refusal writes nothing (ARefusedAdjustmentOfAProductInEscrowWritesNothingTests). A count row has no
/// such check: a row refused for want of units has the product's buckets give back their free units first, whatever
/// the stock view shows, and is then refused again. Here O1 holds 3 units of P at L1 (in bucket 2, granted 25); a count
/// of 2 at L1 cannot be applied however the units lie, yet the failed row leaves a return saga behind it: commits, and
/// TRANSFER and RELEASE entries in the ledger, for a row reported failed. The same counted quantity sent as an
/// adjustment (counted 2) is refused with no write.
/// </summary>
public class ACountRowRefusedEvenWithTheBucketsFreeUnitsWritesNothingTests
{
    [Fact]
    public async Task A_count_below_what_orders_hold_is_refused_without_a_write()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])); // bucket 2: granted 25, 3 reserved
        var app = world.Instance(1);
        var view = await app.Stock.GetStockAsync(EscrowWorld.Product);
        Assert.Equal((100, 3), (view.QuantityOnHand, view.QuantityReserved)); // the stock view: 3 reserved, a count of 2 cannot stand
        var ledgerBefore = (await new StockScenario(app).LedgerAsync(EscrowWorld.Product)).Count;
        var commits = world.Memory.Commits;

        var result = await app.StockCount.ExecuteAsync(new CountCommand("count-1", [new CountRow(1, "L1", EscrowWorld.Product, null, 2, null)]));

        var row = Assert.Single(result.Results);
        Assert.Equal((CountRowStatus.Failed, StockWouldGoNegativeException.ProblemCode), (row.Status, row.Code));
        var ledgerAfter = (await new StockScenario(app).LedgerAsync(EscrowWorld.Product)).Count;
        Assert.True(world.Memory.Commits == commits && ledgerAfter == ledgerBefore,
            $"the refused count row made {world.Memory.Commits - commits} commits and {ledgerAfter - ledgerBefore} ledger entries");
    }

    [Fact]
    public async Task The_same_count_sent_as_an_adjustment_is_refused_without_a_write()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        var app = world.Instance(1);
        var commits = world.Memory.Commits;

        await Assert.ThrowsAsync<StockWouldGoNegativeException>(() =>
            app.Adjust.ExecuteAsync(new Inventory.Application.Stock.AdjustCommand(EscrowWorld.Product, "L1", null, 2, StockCount.DefaultReason, "adj-count-1")));

        Assert.Equal(commits, world.Memory.Commits);
    }
}
