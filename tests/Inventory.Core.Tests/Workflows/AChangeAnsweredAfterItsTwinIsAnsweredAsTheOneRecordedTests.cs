using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found by the fault-injection mix run four requests at a time (seed 49, 2026-12-02): <c>release MO32 ref72 all</c> was
/// answered ok with every line <c>nothing-held</c>, and the same request was also answered <c>invalid-state</c> ("Reservation
/// of 'M2' for order 'MO32' is Released; nothing to release"). A replay of a recorded change is answered from its intent,
/// which nothing removes once it is done; the refusal came from another run of the same request: the request was
/// delivered twice. The first delivery planned while the order held its units (its intent: every unit of each product) and
/// stalled; the units were given back meanwhile (a hold expiring, another release), recovery drove its intent, found every
/// step refused and abandoned it; the twin, finding no intent under the reference, planned on what the order held then
/// (nothing), recorded and closed its own intent, and was answered nothing-held. The first delivery then went on, its
/// steps refused as its run's were (<c>ChangeReservation.Step</c>, the run's recorded refusal), abandoned nothing (the
/// intent under the reference was the twin's, done) and threw its refusal, answered after the twin's ok. Once an intent is
/// recorded under the reference, it is the request's answer: a run that ends refused looks again, and answers that one.
/// </summary>
public class AChangeAnsweredAfterItsTwinIsAnsweredAsTheOneRecordedTests
{
    private const string OrderId = "O-1";

    private static string Answer(ReservationView view) =>
        string.Join(",", view.Change!.Lines.Select(l => $"{l.ProductId}:{l.Quantity}:{l.Outcome}:{l.Code}"));

    [Fact]
    public async Task A_release_whose_run_recovery_abandoned_while_a_twin_recorded_nothing_held_answers_the_twins_outcome()
    {
        var memory = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(memory);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]));
        var release = new ReservationChangeCommand(OrderId, Reference: "rel-1"); // every line: planned as A 2, B 3
        var steered = new AtTheIntentStore(memory);
        var first = new InventoryApplication(steered);
        string? twinAnswer = null;
        steered.AfterIntent = async () =>
        {
            // The first delivery's intent is there, its steps not run. The order's units are given back by another release,
            // recovery finds every step of the first run refused and abandons it, and the twin records nothing held.
            await s.App.Release.ExecuteAsync(new ReservationChangeCommand(OrderId, Reference: "rel-0"));
            await s.App.ResumeChanges.ExecuteAsync(OrderId);
            twinAnswer = Answer(await new InventoryApplication(memory).Release.ExecuteAsync(release));
        };

        ReservationView? view = null;
        var refusal = await Record.ExceptionAsync(async () => view = await first.Release.ExecuteAsync(release));
        Assert.Equal("A:0:nothing-held:,B:0:nothing-held:", twinAnswer);
        Assert.True(refusal is null, $"the first delivery of 'rel-1', answered nothing-held to its twin, was answered {refusal?.GetType().Name}: {refusal?.Message}");
        Assert.Equal(twinAnswer, Answer(view!));
        Assert.Equal(twinAnswer, Answer(await first.Release.ExecuteAsync(release))); // and a replay: the same
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
