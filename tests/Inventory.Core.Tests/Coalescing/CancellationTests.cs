using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Issue 11: cancellation is honoured per request. A caller that cancels gets <see cref="OperationCanceledException"/>
/// at once while the others of its batch still commit. A request cancelled before its batch's (last) decision is not
/// applied; one cancelled once its decision is in the commit under way is applied, its caller still gets the
/// cancellation, and a retry with the same reference replays the recorded outcome (every operation is idempotent).
/// </summary>
public class CancellationTests
{
    private static AdjustCommand Found(string id, long delta = 1) => new(HotProduct.Id, "L1", delta, null, "found", id);

    private static bool Carries(IReadOnlyList<DocumentWrite> writes, string adjustmentId) => writes.Any(w => w.Id == $"op|adjust|{adjustmentId}");

    private static async Task<long> PickFaceAsync(HotProduct p) =>
        (await p.App.Stock.GetStockAsync(HotProduct.Id)).Locations.Single(l => l.LocationId == "L1").QuantityOnHand;

    [Fact]
    public async Task A_caller_that_cancels_while_queued_gets_OperationCanceledException_at_once_and_the_others_still_commit()
    {
        var p = await HotProduct.CreateAsync();
        using var giveUp = new CancellationTokenSource();
        p.Store.Close();
        var blocker = p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L2", 1, "blocker"));
        await p.Store.Blocked.WaitAsync(TimeSpan.FromMinutes(1));
        var gone = p.App.Adjust.ExecuteAsync(Found("X1"), giveUp.Token);
        var stays = new[] { p.App.Adjust.ExecuteAsync(Found("Y1")), p.App.Adjust.ExecuteAsync(Found("Z1")) };
        Assert.Equal(3, p.App.Committer.Queues.Waiting(HotProduct.Id));

        giveUp.Cancel();
        // The commit in flight is still held: the caller is answered without waiting for it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.False(blocker.IsCompleted);

        p.Store.Open();
        await blocker.WaitAsync(TimeSpan.FromMinutes(1));
        foreach (var r in stays) Assert.False((await r.WaitAsync(TimeSpan.FromMinutes(1))).Replayed);
        Assert.Equal(12, await PickFaceAsync(p)); // 10 + Y1 + Z1: X1 was never applied
        Assert.DoesNotContain(p.Store.ProductCommits, c => Carries(c, "X1"));
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task A_request_cancelled_before_its_batch_is_decided_again_after_a_lost_race_is_left_out_of_the_retried_commit()
    {
        var p = await HotProduct.CreateAsync();
        var other = new InventoryApplication(p.Memory, new ManualClock(HotProduct.Now));
        using var giveUp = new CancellationTokenSource();
        var raced = false;
        p.Memory.BeforeCommit = (c, _, w) =>
        {
            if (c != Collection.Products || raced || !Carries(w, "X1")) return;
            raced = true;
            giveUp.Cancel(); // X1's caller leaves while its batch is being committed ...
#pragma warning disable xUnit1031 // completes synchronously on the in-memory store; the hook has to be synchronous
            // ... and that commit loses its race to another instance, so the batch is decided again.
            other.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L2", 10, "other-instance")).GetAwaiter().GetResult();
#pragma warning restore xUnit1031
        };
        var conflictsBefore = p.App.Statistics.Conflicts;
        var results = await p.InOneBatchAsync<MovementResult>(
        [
            () => p.App.Adjust.ExecuteAsync(Found("W1")),
            () => p.App.Adjust.ExecuteAsync(Found("X1"), giveUp.Token),
            () => p.App.Adjust.ExecuteAsync(Found("Y1")),
        ]);

        Assert.True(raced);
        Assert.Equal(1, p.App.Statistics.Conflicts - conflictsBefore);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => results[1]);
        Assert.False((await results[0]).Replayed);
        Assert.False((await results[2]).Replayed);
        Assert.Equal(12, await PickFaceAsync(p)); // 10 + W1 + Y1
        Assert.DoesNotContain(p.Store.ProductCommits, c => Carries(c, "X1"));

        var retried = await p.App.Adjust.ExecuteAsync(Found("X1")); // nothing of it was written: the retry applies it
        Assert.False(retried.Replayed);
        Assert.Equal(13, await PickFaceAsync(p));
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task A_request_cancelled_while_its_commit_is_under_way_is_applied_once_and_its_retry_replays_the_outcome()
    {
        var p = await HotProduct.CreateAsync();
        using var giveUp = new CancellationTokenSource();
        p.Memory.BeforeCommit = (c, _, w) => { if (c == Collection.Products && Carries(w, "X1")) giveUp.Cancel(); };
        var results = await p.InOneBatchAsync<MovementResult>(
        [
            () => p.App.Adjust.ExecuteAsync(Found("X1"), giveUp.Token),
            () => p.App.Adjust.ExecuteAsync(Found("Y1")),
        ]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => results[0]);
        Assert.False((await results[1]).Replayed);
        Assert.Equal(12, await PickFaceAsync(p)); // the commit under way carried X1 with Y1
        p.Memory.BeforeCommit = null;

        var retried = await p.App.Adjust.ExecuteAsync(Found("X1"));
        Assert.True(retried.Replayed);
        Assert.Equal(12, await PickFaceAsync(p));
        Assert.Single(await p.Scenario.LedgerAsync(HotProduct.Id), e => e.ReferenceId == "X1");
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task Without_coalescing_a_cancelled_caller_is_answered_at_once_too()
    {
        var p = await HotProduct.CreateAsync(new ConcurrencyOptions { Coalesce = false });
        using var giveUp = new CancellationTokenSource();
        p.Store.Close();
        var gone = p.App.Adjust.ExecuteAsync(Found("X1"), giveUp.Token);
        await p.Store.Blocked.WaitAsync(TimeSpan.FromMinutes(1));
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone.WaitAsync(TimeSpan.FromMinutes(1)));
        p.Store.Open();
    }
}
