using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Requests of a batch share one in-memory state, so a request refused half-way must leave no trace in it: each
/// decision starts from a checkpoint that a refusal restores, whatever the decision had changed before it threw.
/// </summary>
public class RefusalRollbackTests
{
    [Fact]
    public async Task A_decision_that_changes_stock_then_throws_leaves_nothing_for_the_requests_after_it()
    {
        var p = await HotProduct.CreateAsync();
        var committer = p.App.Committer;
        var location = await p.App.Catalog.GetLocationAsync("L1");
        var read = new StockRead(["X"], [ProductStock.OperationKey(OperationKind.Receive, "half-way")]);
        var results = await p.InOneBatchAsync<long>(
        [
            () => committer.RunAsync<long>(HotProduct.Id, read, s =>
            {
                s.Receive(new ReceiveRequest("half-way", "L1", 100, "Receipt", "test"), location, HotProduct.Now);
                s.Reserve(new ReserveRequest("X", 50, null, ReservationPolicy.Partial, null, "test"), AllocationOptions.Default, HotProduct.Now);
                throw new InvalidStateException("refused after changing things");
            }, default),
            () => committer.RunAsync(HotProduct.Id, StockRead.BalancesOnly, s => s.OnHand, default),
        ]);

        await Assert.ThrowsAsync<InvalidStateException>(() => results[0]);
        Assert.Equal(16, await results[1]); // 10 + 5 + the blocker's 1: neither the receipt nor the reservation is seen
        var stock = await p.App.Stock.GetStockAsync(HotProduct.Id);
        Assert.Equal((16, 0), (stock.QuantityOnHand, stock.QuantityReserved));
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public void Restoring_a_checkpoint_puts_back_every_part_of_the_stock()
    {
        var stock = new ProductStock(new Product { ProductId = "P", Sku = "S", Name = "P" }, 7,
            [new StockBalance { LocationId = "L1", WarehouseId = "W1", QuantityOnHand = 10, QuantityReserved = 2 }],
            [KeyValuePair.Create("O1", (ProductReservation?)null)],
            [KeyValuePair.Create(ProductStock.OperationKey(OperationKind.Adjust, "A1"), (OperationRecord?)null)],
            new DemandHistory(new Dictionary<string, long> { ["20261126"] = 3 }),
            [KeyValuePair.Create(ProductStock.ChangeKey("O1", "ship-1"), (AppliedChange?)null)]);
        var location = new Location { LocationId = "L2", WarehouseId = "W1" };
        string Snapshot() => DocumentJson.Write(new
        {
            stock.LedgerSequence, stock.Balances, Reservation = stock.Reservation("O1"), Operation = stock.Operation("adjust|A1"), Change = stock.Change("O1|ship-1"), stock.NewChanges,
            stock.ChangedBalances, stock.ChangedReservations, stock.NewOperations, stock.NewEntries, stock.Demand.ShippedByDay, stock.HasChanges,
        });
        var before = Snapshot();

        var checkpoint = stock.Save();
        stock.Reserve(new ReserveRequest("O1", 5, null, ReservationPolicy.AllOrNothing, null, "t"), AllocationOptions.Default, HotProduct.Now);
        stock.Fulfill("O1", "ship-1", "f", 2, "t", HotProduct.Now);
        stock.Adjust(new AdjustRequest("A1", "L2", 4, null, "found", false, "t"), location, HotProduct.Now);
        Assert.NotEqual(before, Snapshot());
        stock.Restore(checkpoint);

        Assert.Equal(before, Snapshot());
    }
}
