using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>Pins the cost that docs/architecture.md states, so a change that adds round trips shows up here.</summary>
public class ReservationCostTests
{
    [Fact]
    public async Task An_uncontended_reservation_of_one_product_costs_two_reads_and_two_commits()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        await LooksUpTheHeaderLayoutAsync(s);
        var (reads, commits) = (store.Reads, store.Commits);

        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2)]));

        // Reads: the product's state (the newest ledger document this instance wrote is remembered whole: the next one's,
        // absent, one point read), then the product partition (product, res|O1 in one read), which the decision reuses.
        Assert.Equal(2, store.Reads - reads);
        // Commits: the header (the claim of the order id); the product partition (head with the balances, reservation, ledger entry).
        // One product runs no saga (issue 14): no open-saga entry, no header end, no removal.
        Assert.Equal(2, store.Commits - commits);
    }

    [Fact]
    public async Task An_uncontended_reservation_of_two_products_costs_six_reads_and_six_commits()
    {
        var store = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(store);
        await LooksUpTheHeaderLayoutAsync(s);
        var (reads, commits) = (store.Reads, store.Commits);

        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2), new("B", 1)]));

        // Reads: each product partition (its state: the next ledger document's absence, one point read, then the rest); the
        // header before recording the end; the open-saga entry before removing it.
        Assert.Equal(6, store.Reads - reads);
        // Commits: the open-saga entry; the header (Pending); each product; the header (Reserved); the entry's removal. (No
        // second write of the entry once claimed: a driver stalled before its claim meets recovery's fence and enlists again then.)
        Assert.Equal(6, store.Commits - commits);
    }

    /// <summary>An instance's first look at the orders also finds, once, whether the store holds headers of the first layout.</summary>
    private static async Task LooksUpTheHeaderLayoutAsync(StockScenario s) => await s.App.Orders.FindAsync("none", default);
}
