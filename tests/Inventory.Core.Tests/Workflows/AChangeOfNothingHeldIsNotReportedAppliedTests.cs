using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review: a fulfil or release of "all" (no quantity) on an order of one product that holds nothing any more
/// (shipped in full) is answered 200 with its line's outcome <c>applied</c>, although nothing moved. docs/http-api.md:
/// the outcome is <c>nothing-held</c> when "the product held nothing when 'all' was asked" (as an order of several
/// products answers). A change of one product is not planned (<c>ChangeReservation.PlanAsync</c> returns its line with
/// quantity null), and <c>ProductStock.Fulfill</c>/<c>Release</c> return the closed reservation unchanged for "all", which
/// <c>FinishAsync</c> reports as applied.
/// </summary>
public class AChangeOfNothingHeldIsNotReportedAppliedTests
{
    [Fact]
    public async Task Fulfilling_or_releasing_all_of_a_fully_shipped_one_product_order_reports_nothing_held()
    {
        var s = await StockScenario.TwoProductsAsync(new InMemoryDocumentStore());
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 3)]));
        await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", Reference: "ship-1")); // ships all 3

        var again = await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", Reference: "ship-2"));
        var release = await s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1", Reference: "rel-1"));

        Assert.Equal(7, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand); // nothing more shipped
        Assert.Equal(ChangeLine.NothingHeld, Assert.Single(again.Change!.Lines).Outcome);
        Assert.Equal(ChangeLine.NothingHeld, Assert.Single(release.Change!.Lines).Outcome);
    }
}
