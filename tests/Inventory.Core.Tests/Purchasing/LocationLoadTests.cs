using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

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
}
