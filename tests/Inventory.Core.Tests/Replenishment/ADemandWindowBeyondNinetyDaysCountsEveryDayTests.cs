using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Found in review: <c>Replenishment__DemandWindowDays</c> is accepted from 1 to 365 (InventoryServices, docs/replenishment.md
/// "Settings"), but <c>DemandHistory</c> keeps only <c>KeptDays</c> = 90 days of shipments and
/// <c>AverageDaily</c> still divides by the whole window. With a window of 120 days a product that ships 1 unit every
/// day is averaged at 90/120 = 0.75 a day: the safety stock, the threshold and the order quantity of the nightly rule are
/// all too low (a quarter low at 120 days, three quarters low at 365), and products that should be reordered are not.
/// </summary>
public class ADemandWindowBeyondNinetyDaysCountsEveryDayTests
{
    [Fact]
    public async Task A_product_shipping_one_unit_a_day_averages_one_a_day_over_a_120_day_window()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(new InMemoryDocumentStore(), clock)
        {
            ReplenishmentOptions = new ReplenishmentOptions { DemandWindowDays = 120, DefaultWarehouseId = "W1" },
        };
        var r = new ReplenishmentScenario { App = app, Clock = clock };
        await new StockScenario(app).WarehouseAsync("W1");
        await new StockScenario(app).LocationAsync("W1", "L1");
        // autoReplenish off: only the arithmetic is looked at, no order is raised on the way.
        await r.ProductAsync("A", stock: 1000, reorderPoint: 10, leadTimeDays: 5, auto: false);

        for (var day = 0; day < 120; day++)
        {
            await r.ShipAsync("A", 1, $"o-{day}");
            clock.Advance(TimeSpan.FromDays(1));
        }

        // The 120 days before today each shipped one unit.
        var view = await app.ReplenishmentQueries.GetAsync("A");
        Assert.Equal(1.0, view.Position.AverageDailyDemand);
        Assert.Equal(10, view.Position.SafetyStock); // ceil(2 x 1 x 5)
    }
}
