using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found with <see cref="AChangeAnsweredAfterItsTwinIsAnsweredAsTheOneRecordedTests"/>: a run of a change whose every step
/// is refused removes the intent under its reference (<see cref="OrderHeaders.AbandonIntentAsync"/>) whoever recorded it.
/// A late driver of a run abandoned already (the request's first delivery, stalled while recovery abandoned its run) then
/// removes the intent a twin of the request recorded since under the same reference, pending while the twin applies its
/// steps: the twin dying after its first product leaves that product released and the other still held, with no intent
/// left for recovery or a replay to finish (a replay plans afresh, answered otherwise than the steps already applied).
/// A run abandons its own intent only.
/// </summary>
public class AnAbandonedRunLeavesTheIntentATwinRecordedTests
{
    private const string OrderId = "O-1";

    private static string Lines(ReservationView view) => string.Join(",", view.Change!.Lines.Select(l => $"{l.ProductId}:{l.Quantity}:{l.Outcome}"));

    [Fact]
    public async Task A_late_driver_of_an_abandoned_run_leaves_the_twins_pending_intent_for_recovery()
    {
        var memory = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(memory);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 5), new("B", 5)]));
        var release = new ReservationChangeCommand(OrderId, Reference: "rel-1"); // every line: planned as A 5, B 5
        var steered = new AtTheIntentStore(memory);
        var first = new InventoryApplication(steered);
        steered.AfterIntent = async () =>
        {
            // The first delivery's intent is there, its steps not run. Two of each product are released by another request,
            // recovery finds the first run's steps refused (5 asked, 3 held) and abandons it; the twin plans 3 and 3, records
            // its intent, releases A and dies before B.
            await s.App.Release.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("A", 2), new("B", 2)], "rel-0"));
            await s.App.ResumeChanges.ExecuteAsync(OrderId);
            var twin = new InventoryApplication(new AtTheIntentStore(memory) { DieAtB = true });
            await Assert.ThrowsAsync<StoreFaultException>(() => twin.Release.ExecuteAsync(release));
        };

        ReservationView? answer = null;
        await Record.ExceptionAsync(async () => answer = await first.Release.ExecuteAsync(release));
        await s.App.ResumeChanges.ExecuteAsync(OrderId);

        Assert.Empty(await s.App.Orders.OpenIntentsAsync(OrderId, default));
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("B")).QuantityReserved); // the twin's release finished: B's 3 given back
        var replay = await s.App.Release.ExecuteAsync(release);
        Assert.Equal("A:3:applied,B:3:applied", Lines(replay));
        Assert.Equal(Lines(replay), answer is null ? "refused" : Lines(answer)); // the first delivery answered the twin's run, which it finished
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
