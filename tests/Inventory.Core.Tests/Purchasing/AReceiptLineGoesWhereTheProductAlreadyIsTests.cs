using Inventory.Application.Purchasing;
using Inventory.Domain;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review: since a receipt's lines are placed when the order accepts it (<c>ReceivePurchaseOrder.Place</c>),
/// the planner is asked with no locations holding the product (<c>planner.Plan(product, quantity, [])</c>), so the first
/// rule of put-away, "a location already holding the product" (docs/receiving.md, <c>PutAwayPlanner</c>), never applies
/// to a PO receipt: a product stored in bulk gets its next delivery split onto the pick face, though bulk has room.
/// Applying the line at apply time (receipts accepted before 2026-12-01) did pass the balances holding it.
/// </summary>
public class AReceiptLineGoesWhereTheProductAlreadyIsTests
{
    [Fact]
    public async Task A_line_without_a_location_is_put_with_the_stock_already_there_when_it_has_room()
    {
        var (s, _) = await ReceivingScenario.CreateAsync();
        // B (100 g, 1 cm3 a unit) already lies in BULK; BULK has room for ten more, so has the pick face.
        await s.StockAsync("B", "BULK", 5);

        var outcome = await s.App.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock-7", [new("B", 10)]));

        var line = outcome.Lines.Single();
        Assert.True(line.LocationId == "BULK",
            $"B already lies in BULK, which has room: expected the line consolidated there, but it was put in {line.LocationId} ({line.Reason})");
        Assert.Equal(15, (await s.App.Stock.GetStockAsync("B")).Locations.Single(l => l.LocationId == "BULK").QuantityOnHand);
    }
}
