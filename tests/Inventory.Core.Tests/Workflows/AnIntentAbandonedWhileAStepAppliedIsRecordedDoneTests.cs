using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review: a change's intent is abandoned (removed) by a driver that saw every step refused, while another driver
/// of the same intent, deciding on a later state, applied a step. That driver's close found no intent and failed
/// (<c>InvalidOperationException</c> from a <c>Single</c>), which recovery does not catch, stopping its whole run. The
/// close now records the intent again, done, so its reference stays bound to what was applied.
/// </summary>
public class AnIntentAbandonedWhileAStepAppliedIsRecordedDoneTests
{
    [Fact]
    public async Task Closing_an_intent_abandoned_meanwhile_records_it_again_done()
    {
        var headers = new OrderHeaders(new InMemoryDocumentStore());
        var now = new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);
        var intent = new ChangeIntent
        {
            OrderId = "O-1", Kind = ChangeKind.Fulfil, Reference = "ship-1", Fingerprint = "A:2", PerformedBy = "api", CreatedAt = now,
            Lines = [new ChangeLine("A", 2)],
        };
        Assert.True(await headers.RecordIntentAsync(intent, default));
        await headers.AbandonIntentAsync(intent, default); // the other driver: every step refused

        var done = intent with { Lines = [new ChangeLine("A", 2) with { Outcome = ChangeLine.Applied }], CompletedAt = now };
        var closed = await headers.CompleteIntentAsync(done, default);

        Assert.True(closed.IsDone);
        var (_, stored) = await headers.FindWithIntentAsync("O-1", intent.Key, default);
        Assert.NotNull(stored);
        Assert.True(stored!.IsDone);
        Assert.Empty(await headers.OpenIntentsAsync("O-1", default)); // nothing left pending for recovery
    }
}
