using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>Every on-hand change moves the weight and volume put-away sees, whatever operation made it.</summary>
public class LocationLoadTests
{
    [Fact]
    public async Task Receipts_transfers_adjustments_and_shipments_keep_location_loads_in_step()
    {
        var (s, _) = await ReceivingScenario.CreateAsync(); // product A: 1 kg, 1,000 cm3 a unit
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 10, "r-1"));
        await s.App.Transfer.ExecuteAsync(new TransferCommand("A", "BULK", "PICK", 4, "t-1"));
        await s.App.Adjust.ExecuteAsync(new AdjustCommand("A", "BULK", -1, null, "damaged", "a-1"));
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("o-1", [new("A", 3)]));
        await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("o-1"));
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 10, "r-1")); // a replay moves nothing

        var loads = (await s.App.LocationLoads.ReadAsync("W1")).ToDictionary(l => l.LocationId);
        var stock = (await s.App.Stock.GetStockAsync("A")).Locations.ToDictionary(l => l.LocationId);
        foreach (var location in new[] { "PICK", "BULK" })
        {
            Assert.Equal(stock[location].QuantityOnHand * 1000, loads[location].WeightGrams);
            Assert.Equal(stock[location].QuantityOnHand * 1_000_000, loads[location].VolumeCubicMm);
        }
        Assert.Equal(6, stock.Values.Sum(l => l.QuantityOnHand)); // 10 received, 1 damaged, 3 shipped
    }

    private static async Task AssertLoadsMatchStockAsync(StockScenario s)
    {
        var loads = (await s.App.LocationLoads.ReadAsync("W1")).ToDictionary(l => l.LocationId);
        var onHand = new Dictionary<string, (long Grams, long CubicMm)>();
        foreach (var (product, grams, cubicMm) in new[] { ("A", 1000L, 1_000_000L), ("B", 100L, 1_000L) })
            foreach (var l in (await s.App.Stock.GetStockAsync(product)).Locations)
            {
                var sum = onHand.GetValueOrDefault(l.LocationId);
                onHand[l.LocationId] = (sum.Grams + l.QuantityOnHand * grams, sum.CubicMm + l.QuantityOnHand * cubicMm);
            }
        foreach (var (location, expected) in onHand)
            Assert.Equal(expected, loads.TryGetValue(location, out var load) ? (load.WeightGrams, load.VolumeCubicMm) : (0, 0));
    }

    [Fact]
    public async Task A_crash_between_a_movement_and_its_loads_is_caught_up_by_the_next_movement_of_the_product()
    {
        var (s, store) = await ReceivingScenario.CreateAsync();
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("B", "BULK", 10, "r-b"));
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 10, "r-1"));
        var crashing = new FaultyStore(store);
        crashing.Arm(2); // the receipt's stock commit lands, its load commit never happens
        await Assert.ThrowsAsync<StoreFaultException>(() => StockScenario.Over(crashing).App.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 5, "r-2")));
        Assert.Equal(10 * 1000 + 10 * 100, (await s.App.LocationLoads.ReadAsync("W1")).Single(l => l.LocationId == "BULK").WeightGrams);

        // Not the retry: another movement of A at the same location, on a fresh instance.
        await StockScenario.Over(store).App.Adjust.ExecuteAsync(new AdjustCommand("A", "BULK", -1, null, "damaged", "a-1"));
        await AssertLoadsMatchStockAsync(s);
    }

    [Fact]
    public async Task A_position_older_than_the_stored_one_changes_nothing_and_a_replay_writes_nothing()
    {
        var (s, store) = await ReceivingScenario.CreateAsync();
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 10, "r-1"));
        var loaded = await s.App.Committer.LoadAsync("A", StockRead.BalancesOnly, default);
        var old = StockMoved.Found(loaded.Stock);
        await s.App.Transfer.ExecuteAsync(new TransferCommand("A", "BULK", "PICK", 4, "t-1"));

        var commits = store.Commits;
        await s.App.LocationLoads.FollowAsync(old); // delayed from before the transfer: 10 at BULK, nothing at PICK
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 10, "r-1")); // a replay: loads already up to date
        Assert.Equal(commits, store.Commits);
        await AssertLoadsMatchStockAsync(s);
        var stored = await store.ReadAsync(Collection.Warehouses, "W1", [LocationLoads.Id("BULK", "A"), LocationLoads.Id("PICK", "A")], []);
        Assert.Equal(2, stored.Count);
    }
}
