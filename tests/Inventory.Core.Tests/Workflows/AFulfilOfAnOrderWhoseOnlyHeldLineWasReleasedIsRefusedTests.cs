using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (ef8e5a9): a PARTIAL order of A and B where B got nothing, whose A (everything it held) was then
/// released by a release of A's line, holds nothing to fulfil. Its fulfilment ("all") was refused 409 invalid-state with
/// nothing written (docs/http-api.md: 409 <c>invalid-state</c>, "e.g. fulfilling a released reservation";
/// <c>ChangeReservation.PlanAsync</c> refuses a fulfil whose every line plans 0 when one is released). Since
/// <c>PlanAsync</c> now plans B's "all" of an ACTIVE reservation of nothing as null, not 0, that check no longer sees
/// every line at 0: the fulfilment answers 200, ships nothing, and closes B's reservation as a side effect of a request
/// that should have been refused. A fix: count a null line planned for a reservation of nothing as 0 in the check.
/// </summary>
public class AFulfilOfAnOrderWhoseOnlyHeldLineWasReleasedIsRefusedTests
{
    [Fact]
    public async Task Fulfilling_all_after_the_held_line_was_released_is_409_invalid_state_and_changes_nothing()
    {
        var s = await StockScenario.TwoProductsAsync(new InMemoryDocumentStore(), a: 10, b: 2);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O0", [new("B", 2)])); // every unit of B taken
        var reserved = await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 3), new("B", 4)], Policy: ReservationPolicy.Partial));
        Assert.Equal(OrderReservationStatus.PartiallyReserved, reserved.Reservation.Status); // A 3 of 3, B 0 of 4
        await s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1", Lines: [new ReservationLineChange("A")], Reference: "rel-A"));

        Exception? thrown = null;
        ReservationView? answer = null;
        try { answer = await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", Reference: "ship-all")); }
        catch (Exception e) { thrown = e; }

        Assert.True(thrown is InvalidStateException,
            $"a fulfilment of an order holding nothing (A released, B never got any) answered {(thrown is null ? $"200 ({answer!.Status}, lines: {string.Join(", ", answer.Change?.Lines.Select(l => $"{l.ProductId} {l.Outcome}") ?? [])})" : thrown.GetType().Name)}, not 409 invalid-state");
        var activeB = await s.App.ProductReservations.ListAsync("B", ReservationStatus.Active, 100);
        Assert.Contains(activeB.Items, i => i.OrderId == "O1"); // a refusal changes nothing
    }
}
