using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>Pins the cost that docs/architecture.md states, so a change that adds round trips shows up here.</summary>
public class ReservationCostTests
{
    [Fact]
    public async Task An_uncontended_reservation_of_one_product_costs_one_read_and_two_commits()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        var (reads, commits) = (store.Reads, store.Commits);

        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2)]));

        Assert.Equal(1, store.Reads - reads);     // the product partition: product, head, balances, res|O1 in one query
        Assert.Equal(2, store.Commits - commits); // the order header; the product partition (head, balance, reservation, ledger entry)
    }
}
