using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// From the team's notes: a warehouse's put-away planner is cached for 30 s and followed only the purchase-order lines
/// it placed. Stock received straight into a location (a direct receipt, not against a purchase order) wrote its load
/// but left the cached planner as it was, so a purchase-order line planned right after was put where that stock had
/// taken the room, beyond the location's capacity. Nothing checks capacity at the stock commit (put-away is advice), so
/// the overfill stood. Deterministic: the clock does not move, the cache never expires.
/// </summary>
public class APutAwayPlanAfterADirectReceiptDoesNotOverfillTests
{
    [Fact]
    public async Task A_line_planned_after_a_direct_receipt_filled_the_bulk_location_goes_to_overflow()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(new InMemoryDocumentStore(), clock);
        await TwoUnitBulk.ArrangeAsync(app, ("PO1", 2));

        var first = await app.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO1", "R1"));
        Assert.Equal("BULK", first.Lines.Single().LocationId); // the planner is built and cached: one unit of room left
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 1, "direct-1")); // that room, taken by a direct receipt

        var second = await app.ReceivePurchaseOrder.ExecuteAsync(TwoUnitBulk.OneUnit("PO1", "R2"));

        var at = await TwoUnitBulk.OnHandAsync(app);
        Assert.Equal(2, at["BULK"]); // not 3 units in a location holding 2
        Assert.Equal(("OVF", 1L), (second.Lines.Single().LocationId, at.GetValueOrDefault("OVF")));
    }
}
