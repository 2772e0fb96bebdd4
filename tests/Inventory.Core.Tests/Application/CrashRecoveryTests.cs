using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// A process that dies between any two writes of a reservation, then a retry on a fresh instance (nothing cached
/// survives a crash), ends as one clean run would. <see cref="CrashAfterCommitTests"/> crashes on both sides of every write.
/// </summary>
public class CrashRecoveryTests
{
    private sealed class Crash : Exception;

    private static async Task<(StockScenario, InMemoryDocumentStore)> ScenarioAsync()
    {
        var store = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(store, b: 1);
        return (s, store);
    }

    [Theory]
    [InlineData(1)] // after the header
    [InlineData(2)] // after product A's reservation
    [InlineData(3)] // after product B's rejection, before the rollback of A
    public async Task A_crash_after_the_nth_write_then_a_retry_ends_in_the_clean_state(int writesBeforeCrash)
    {
        var (s, store) = await ScenarioAsync();
        var command = new ReserveCommand("O1", [new("A", 4), new("B", 2)]);
        var writes = 0;
        store.BeforeCommit = (_, _, _) => { if (++writes > writesBeforeCrash) throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => s.App.Reserve.ExecuteAsync(command));
        store.BeforeCommit = null;
        s = StockScenario.Over(store);

        await Assert.ThrowsAsync<InsufficientStockException>(() => s.App.Reserve.ExecuteAsync(command));
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(OrderReservationStatus.Rejected, (await s.App.Orders.ViewAsync("O1", default)).Status);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_crash_between_products_of_an_accepted_order_is_completed_by_the_retry()
    {
        var (s, store) = await ScenarioAsync();
        var command = new ReserveCommand("O2", [new("A", 4), new("B", 1)]);
        var productCommits = 0;
        store.BeforeCommit = (c, _, _) => { if (c == Collection.Products && ++productCommits == 2) throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => s.App.Reserve.ExecuteAsync(command));
        store.BeforeCommit = null;
        s = StockScenario.Over(store);
        Assert.Equal(OrderReservationStatus.Pending, (await s.App.Orders.ViewAsync("O2", default)).Status);

        var retried = await s.App.Reserve.ExecuteAsync(command);
        Assert.False(retried.Created);
        Assert.Equal(OrderReservationStatus.Reserved, retried.Reservation.Status);
        Assert.Equal(4, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(1, (await s.App.Stock.GetStockAsync("B")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
