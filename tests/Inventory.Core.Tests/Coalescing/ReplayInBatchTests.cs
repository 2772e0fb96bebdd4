using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>A request replayed inside the same batch as its original is recognised there, with no second effect.</summary>
public class ReplayInBatchTests
{
    [Fact]
    public async Task The_same_order_twice_in_one_batch_reserves_once()
    {
        // Claims not exclusive: the replay joins the batch (an exclusive claim makes it wait for the original, ClaimedOrderTests).
        var p = await HotProduct.CreateAsync(orders: new OrderOptions { ClaimExclusiveMilliseconds = 0 });
        var command = new ReserveCommand("O1", [new(HotProduct.Id, 4)]);
        var results = await p.InOneBatchAsync<ReserveResult>([() => p.App.Reserve.ExecuteAsync(command), () => p.App.Reserve.ExecuteAsync(command)]);

        var (first, replay) = (await results[0], await results[1]);
        Assert.Equal((true, false), (first.Created, replay.Created));
        Assert.Equal(DocumentJson.Write(first.Reservation), DocumentJson.Write(replay.Reservation));
        Assert.Equal(4, replay.Reservation.Lines[0].Reserved);
        Assert.Equal(4, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
        Assert.Single((await p.Scenario.LedgerAsync(HotProduct.Id)), e => e.ReferenceId == "O1");
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task The_same_adjustment_twice_in_one_batch_applies_once_and_a_reuse_of_its_id_is_refused()
    {
        var p = await HotProduct.CreateAsync();
        var adjust = new AdjustCommand(HotProduct.Id, "L1", 3, null, "found", "A1");
        var results = await p.InOneBatchAsync<MovementResult>(
        [
            () => p.App.Adjust.ExecuteAsync(adjust),
            () => p.App.Adjust.ExecuteAsync(adjust),
            () => p.App.Adjust.ExecuteAsync(adjust with { Delta = 5 }),
        ]);

        var (applied, replayed) = (await results[0], await results[1]);
        Assert.False(applied.Replayed);
        Assert.True(replayed.Replayed);
        Assert.Equal(applied.Operation.TxnIds, replayed.Operation.TxnIds);
        await Assert.ThrowsAsync<ReferenceConflictException>(() => results[2]);
        Assert.Equal(13, (await p.App.Stock.GetStockAsync(HotProduct.Id)).Locations.Single(l => l.LocationId == "L1").QuantityOnHand);
        Assert.Single((await p.Scenario.LedgerAsync(HotProduct.Id)), e => e.ReferenceId == "A1");
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }
}
