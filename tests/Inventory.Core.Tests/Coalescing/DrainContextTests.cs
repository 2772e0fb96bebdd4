using System.Collections.Concurrent;
using System.Diagnostics;
using Inventory.Application.Orders;
using Inventory.Storage;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Issue 11: the drain of a product's queue is started by whichever caller finds it idle, but the commits it makes for
/// the callers queued behind must not run in that first caller's ambient context (its AsyncLocal values, its Activity,
/// its logging scopes). A batch of one runs its store calls in its own caller's context; a shared batch in nobody's.
/// </summary>
public class DrainContextTests
{
    private static readonly AsyncLocal<string?> Caller = new();

    private sealed record Seen(string? Caller, string? Activity, string? ActivityRoot);

    [Fact]
    public async Task A_shared_batch_queued_behind_caller_A_commits_outside_As_async_locals_and_activity()
    {
        var (seen, roots) = await RunAsync(["B", "C"]);
        Assert.Equal(new Seen("A", "A", roots["A"]), seen["A"]); // a lone request's commit stays in its caller's trace
        Assert.Equal(new Seen(null, null, null), seen["B"]); // B and C shared one commit: nobody's context, certainly not A's
        Assert.Same(seen["B"], seen["C"]);
    }

    [Fact]
    public async Task A_lone_request_queued_behind_caller_A_commits_in_its_own_callers_context()
    {
        var (seen, roots) = await RunAsync(["B"]);
        Assert.Equal(new Seen("B", "B", roots["B"]), seen["B"]);
        Assert.NotEqual(roots["A"], seen["B"].ActivityRoot);
    }

    /// <summary>
    /// Caller A (AsyncLocal "A", Activity "A") reserves while the store holds its commit; the other callers, each with
    /// its own AsyncLocal and Activity, queue behind it. Returns, per order, what the product commit that carried it saw.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, Seen> Seen, IReadOnlyDictionary<string, string> Roots)> RunAsync(string[] queued)
    {
        var p = await HotProduct.CreateAsync();
        var seen = new ConcurrentDictionary<string, Seen>();
        var roots = new ConcurrentDictionary<string, string>();
        p.Memory.BeforeCommit = (collection, _, writes) =>
        {
            if (collection != Collection.Products) return;
            var now = new Seen(Caller.Value, Activity.Current?.OperationName, Activity.Current?.RootId);
            foreach (var order in ReservationWrites.Orders(writes)) seen[order] = now;
        };

        p.Store.Close();
        var first = AsCallerAsync("A", p, roots);
        await p.Store.Blocked.WaitAsync(TimeSpan.FromMinutes(1));
        var others = queued.Select(name => AsCallerAsync(name, p, roots)).ToArray();
        Assert.Equal(queued.Length, p.App.Committer.Queues.Waiting(HotProduct.Id));
        p.Store.Open();
        await Task.WhenAll(others.Prepend(first)).WaitAsync(TimeSpan.FromMinutes(1));
        return (seen, roots);
    }

    private static async Task<ReserveResult> AsCallerAsync(string name, HotProduct p, ConcurrentDictionary<string, string> roots)
    {
        Caller.Value = name; // flows down into this call only, never back to the test
        using var activity = new Activity(name).Start();
        roots[name] = activity.RootId!;
        return await p.App.Reserve.ExecuteAsync(new ReserveCommand(name, [new(HotProduct.Id, 1)]));
    }
}
