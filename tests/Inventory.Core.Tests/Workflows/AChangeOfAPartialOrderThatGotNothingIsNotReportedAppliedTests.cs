using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (order lifecycle): an order of one product reserved under PARTIAL when none was available holds an
/// ACTIVE reservation of nothing. Fulfilling it ("all", no quantity) ships nothing, yet the answer is 200 with the line's
/// outcome <c>applied</c>, and the fulfilment turns the reservation into RELEASED (with no reason), so the order's status
/// reads RELEASED after a fulfilment. docs/http-api.md: the outcome is <c>nothing-held</c> when "the product held nothing
/// when 'all' was asked", which is what the same line answers inside an order of several products (its plan turns "all"
/// into 0). <c>ChangeReservation.NothingMoved</c> only looks for a closed reservation with no change recorded, and
/// <c>ProductStock.Fulfill</c>/<c>Release</c> of "all" on an active reservation of 0 record a change of 0 and close it
/// (<c>Settle</c>). A fix: a one-product change of "all" whose reservation holds nothing (Remaining 0) reports
/// nothing-held and records no change, as the several-product plan does.
/// </summary>
public class AChangeOfAPartialOrderThatGotNothingIsNotReportedAppliedTests
{
    [Fact]
    public async Task Fulfilling_all_of_a_partial_order_that_reserved_nothing_reports_nothing_held()
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 5);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O0", [new("A", 5)])); // every unit of A taken
        var reserved = await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4)], Policy: ReservationPolicy.Partial));
        Assert.Equal(OrderReservationStatus.PartiallyReserved, reserved.Reservation.Status); // 0 of 4: nothing held

        var fulfil = await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", Reference: "ship-1"));

        var line = Assert.Single(fulfil.Change!.Lines);
        Assert.True(line.Outcome == ChangeLine.NothingHeld,
            $"nothing was held and nothing shipped (shipped {Assert.Single(fulfil.Lines).Shipped}), yet the fulfilment's line is '{line.Outcome}' "
            + $"and the order now reads {fulfil.Status}");
    }
}
