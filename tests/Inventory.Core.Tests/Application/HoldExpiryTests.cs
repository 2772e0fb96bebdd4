using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

public class HoldExpiryTests
{
    [Fact]
    public async Task The_sweep_releases_only_holds_that_have_expired_and_only_once()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 23, 50, 0, TimeSpan.Zero));
        var s = StockScenario.Over(new InMemoryDocumentStore(), clock);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("short", [new("A", 3)], HoldMinutes: 15)); // expires after midnight
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("long", [new("A", 2)], HoldMinutes: 120));
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("none", [new("A", 1)]));

        Assert.Equal(0, (await s.App.ExpireHolds.ExecuteAsync()).HoldsDue);
        clock.Advance(TimeSpan.FromMinutes(20));
        var sweep = await s.App.ExpireHolds.ExecuteAsync();
        Assert.Equal((1, 1), (sweep.HoldsDue, sweep.OrdersReleased));
        Assert.Equal(3, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        var expired = await s.App.Orders.ViewAsync("short", default);
        Assert.Equal(OrderReservationStatus.Released, expired.Status);
        Assert.Equal(0, (await s.App.ExpireHolds.ExecuteAsync()).HoldsDue);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_fulfilled_order_is_left_alone_when_its_hold_expires()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        var s = StockScenario.Over(new InMemoryDocumentStore(), clock);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("o", [new("A", 3)], HoldMinutes: 5));
        await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("o"));
        clock.Advance(TimeSpan.FromMinutes(6));
        var sweep = await s.App.ExpireHolds.ExecuteAsync();
        Assert.Equal((1, 0), (sweep.HoldsDue, sweep.OrdersReleased));
        Assert.Equal(7, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand);
    }
}
