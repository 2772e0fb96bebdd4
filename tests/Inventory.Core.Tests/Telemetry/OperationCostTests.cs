using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Core.Tests.Coalescing;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Telemetry;

/// <summary>
/// The store cost of each logical operation is its own calls plus an even share of the calls it shared. A coalesced
/// batch runs on whichever caller's flow started draining the product's queue; without the split, that caller would be
/// billed for everyone's read and commit and the others for none.
/// </summary>
public class OperationCostTests
{
    private const string P = "P";

    private static async Task<(InventoryApplication App, GatedStore Gate, ChargingStore Charging)> SetUpAsync()
    {
        // Pages as full as asked: a product's state is read with a query of one document (its newest ledger document), which a
        // store answering some pages empty (InMemoryDocumentStore.ShortPages, every third) asks again now and then, one call
        // more for whichever operation meets that page: the counts below would depend on where that cycle stands.
        var charging = new ChargingStore(new InMemoryDocumentStore { ShortPages = false });
        var gate = new GatedStore(charging);
        var s = new StockScenario(new InventoryApplication(gate, new ManualClock(HotProduct.Now), new ConcurrencyOptions()));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1", LocationType.PickFace);
        await s.ProductAsync(P);
        await s.App.Receive.ExecuteAsync(new ReceiveCommand(P, "L1", 100, "opening"));
        await s.App.Orders.FindAsync("none", default); // the instance's one look at the store's header layout, paid here
        return (s.App, gate, charging);
    }

    private static async Task<OperationCost> Run(string name, Func<Task> work)
    {
        using var cost = OperationCost.Begin(name);
        await work();
        return cost;
    }

    [Fact]
    public async Task A_coalesced_batch_is_billed_in_shares_to_its_requests_not_to_the_flow_that_drained_it()
    {
        var (app, gate, charging) = await SetUpAsync();
        var alone = await Run("alone", () => app.Receive.ExecuteAsync(new ReceiveCommand(P, "L1", 1, "alone")));
        charging.Reset();

        gate.Close();
        var blocker = Run("blocker", () => app.Receive.ExecuteAsync(new ReceiveCommand(P, "L1", 1, "blocker")));
        await gate.Blocked;
        const int n = 5; // the batch's read and commit, shared by 5, are no whole share
        var reservations = Enumerable.Range(0, n)
            .Select(i => Run($"O{i}", () => app.Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(P, 1)])))).ToArray();
        Assert.Equal(n, app.Committer.Queues.Waiting(P));
        gate.Open();
        var all = (await Task.WhenAll(reservations.Prepend(blocker))).ToArray();

        Assert.Equal(charging.Total, all.Sum(c => c.Units), 9);
        // The drainer is billed for its own receipt only, exactly what the same receipt cost alone.
        Assert.Equal(alone.Units, (await blocker).Units, 9);
        // Each reservation carries its own calls and a share (1/n) of the batch's read and commit.
        var shares = (await Task.WhenAll(reservations)).Select(c => c.Units).ToArray();
        Assert.All(shares, u => Assert.True(Math.Abs(u - Math.Round(u)) > 1e-6, $"{u} RU holds no share of a shared call"));
        // The first also read the product to check it is active, while the blocker's commit was in flight: three calls, its
        // state (the newest ledger document this instance wrote is remembered whole: the next one's, which is where the
        // commit in flight lands, and the one after, two point reads at once) and the read of the rest guarded by the next
        // commit's ledger document.
        Assert.Equal(3, shares.Max() - shares.Min(), 9);
    }

    [Fact]
    public async Task Calls_outside_any_operation_are_billed_to_none_and_nested_operations_count_in_the_outer_one()
    {
        var (app, _, charging) = await SetUpAsync();
        charging.Reset();

        await app.Stock.GetStockAsync(P);
        var outer = await Run("outer", async () =>
        {
            var inner = await Run("inner", () => app.Stock.GetStockAsync(P));
            // The first read was nobody's: two calls, as each stock read makes, its state (the newest ledger document this
            // instance wrote is remembered whole: the next one's, absent, one point read) and the read of the rest guarded by
            // the next commit's ledger document.
            Assert.Equal(charging.Total - 2, inner.Units, 9);
        });

        Assert.Equal(charging.Total - 2, outer.Units, 9);
        Assert.True(outer.Calls > 0);
        Assert.Null(OperationCost.Active);
    }
}
