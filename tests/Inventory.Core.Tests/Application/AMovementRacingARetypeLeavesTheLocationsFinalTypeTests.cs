using Inventory.Application.Counts;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: a movement copies the type of the location it read into the balance it writes (a receipt, an
/// adjustment, a transfer's ends: <c>ProductStock.Movements</c>). One that read the location before a retype was saved
/// and committed after the retype's pass reached the product (its commit lost to that pass and was decided again, with
/// the location it had read) wrote the old type back; and a balance created at the location after the pass had listed
/// the partitions there kept the old type. Either way the location's balance allocated by the old type for good.
/// </summary>
public class AMovementRacingARetypeLeavesTheLocationsFinalTypeTests
{
    /// <summary>The movement's instance (its commits to P gated) and another instance, which saves the locations.</summary>
    private static async Task<(StockScenario S, GateFirstCommit Gate, StockScenario Other)> WorldAsync(bool stocked)
    {
        var gate = new GateFirstCommit(new InMemoryDocumentStore(), Collection.Products, "P");
        var s = StockScenario.Over(gate);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "A", LocationType.PickFace);
        await s.LocationAsync("W1", "B", LocationType.Bulk);
        // P is set up by the other instance, past the gate, which then holds the movement's first commit to P.
        var other = StockScenario.Over(gate.Inner);
        await other.ProductAsync("P");
        await other.StockAsync("P", "B", 10);
        if (stocked) await other.StockAsync("P", "A", 10);
        return (s, gate, other);
    }

    private static async Task<string> TypeOfBalanceAsync(StockScenario s, string locationId) =>
        (await s.App.Stock.GetStockAsync("P")).Locations.Single(l => l.LocationId == locationId).LocationType;

    [Fact]
    public async Task An_adjustment_decided_again_after_a_retype_reached_its_balance_keeps_the_new_type()
    {
        var (s, gate, other) = await WorldAsync(stocked: true);
        var adjusting = s.App.Adjust.ExecuteAsync(new AdjustCommand("P", "A", 1, null, "found", "adj-1"));
        await gate.Reached.Task; // the adjustment read A as a pick face and is about to commit

        await other.LocationAsync("W1", "A", LocationType.Overflow); // the retype's pass commits P's balance at A
        gate.Release.SetResult();
        await adjusting;

        Assert.Equal(11, (await s.App.Stock.GetStockAsync("P")).Locations.Single(l => l.LocationId == "A").QuantityOnHand);
        Assert.Equal("Overflow", await TypeOfBalanceAsync(s, "A"));
    }

    [Fact]
    public async Task A_first_receipt_at_a_location_committed_after_a_retype_ended_takes_the_new_type()
    {
        var (s, gate, other) = await WorldAsync(stocked: false);
        var receiving = s.App.Receive.ExecuteAsync(new ReceiveCommand("P", "A", 5, "rcv-1"));
        await gate.Reached.Task; // the receipt read A as a pick face; P holds no balance there yet

        await other.LocationAsync("W1", "A", LocationType.Overflow); // the pass finds no balance at A: nothing to retype
        gate.Release.SetResult();
        await receiving;

        Assert.Equal("Overflow", await TypeOfBalanceAsync(s, "A"));
    }

    [Fact]
    public async Task A_transfer_into_a_location_committed_after_a_retype_ended_takes_the_new_type()
    {
        var (s, gate, other) = await WorldAsync(stocked: false);
        var moving = s.App.Transfer.ExecuteAsync(new TransferCommand("P", "B", "A", 4, "tr-1"));
        await gate.Reached.Task;

        await other.LocationAsync("W1", "A", LocationType.Overflow);
        await other.LocationAsync("W1", "B", LocationType.PickFace);
        gate.Release.SetResult();
        await moving;

        Assert.Equal(("Overflow", "PickFace"), (await TypeOfBalanceAsync(s, "A"), await TypeOfBalanceAsync(s, "B")));
    }

    [Fact]
    public async Task A_count_row_committed_after_a_retype_reached_its_balance_keeps_the_new_type()
    {
        var (s, gate, other) = await WorldAsync(stocked: true);
        var counting = s.App.StockCount.ExecuteAsync(new CountCommand("count-1", [new CountRow(2, "A", "P", null, 12, null)]));
        await gate.Reached.Task;

        await other.LocationAsync("W1", "A", LocationType.Overflow);
        gate.Release.SetResult();
        Assert.Equal(1, (await counting).Applied);

        Assert.Equal("Overflow", await TypeOfBalanceAsync(s, "A"));
    }
}
