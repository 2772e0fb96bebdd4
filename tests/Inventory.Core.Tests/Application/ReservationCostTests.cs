using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>Pins the cost that docs/architecture.md states, so a change that adds round trips shows up here.</summary>
public class ReservationCostTests
{
    [Fact]
    public async Task An_uncontended_reservation_of_one_product_costs_three_reads_and_five_commits()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        var (reads, commits) = (store.Reads, store.Commits);

        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2)]));

        // Reads: the product partition (product, head with its balances, res|O1 in one read); the header before recording the end;
        // the open-saga entry before removing it.
        Assert.Equal(3, store.Reads - reads);
        // Commits: the open-saga entry; the header (Pending); the product partition (head with the balances, reservation, ledger
        // entry); the header (Reserved); the entry's removal.
        Assert.Equal(5, store.Commits - commits);
    }
}
