using Inventory.Application.Purchasing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review of 699288f: placing a receipt's lines at acceptance now reads where each product already lies
/// (<c>ReceivePurchaseOrder.HoldingAsync</c>), but only as stored before the receipt: the locations the receipt's own
/// earlier lines of the same product go to are never added. Planned at apply time (receipts accepted before
/// 2026-12-01, and the behaviour docs/receiving.md says placing keeps), line 1's stock was in its location when line 2
/// was planned, so line 2 was consolidated with it ("a location already holding the product" comes first). Now a
/// product delivered in two lines, one to BULK and one left to put-away, is split onto the pick face though BULK has
/// room. A fix: in <c>ReceivePurchaseOrder.Place</c>, add each placed line's location (given or planned) to its
/// product's holding locations before planning the next line.
/// </summary>
public class ALaterLineGoesWhereAnEarlierLineOfTheReceiptPutTheProductTests
{
    [Fact]
    public async Task A_line_without_a_location_joins_the_earlier_line_of_the_same_product_in_the_receipt()
    {
        var (s, _) = await ReceivingScenario.CreateAsync();
        // B lies nowhere yet. Line 0 puts 5 of B in BULK; line 1 leaves 5 more to put-away: BULK has room for them.
        var outcome = await s.App.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock-7", [new("B", 5, "BULK"), new("B", 5)]));

        var second = outcome.Lines[1];
        Assert.True(second.LocationId == "BULK",
            $"line 0 put B in BULK, which has room: expected line 1 consolidated there (as when planned at apply time), but it was put in {second.LocationId} ({second.Reason})");
    }
}
