using Inventory.Application.Replenishment;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// From the team's notes: every save of a run, and every abandonment, wrote <c>latest</c> whatever it held, so a run of
/// an earlier day still saving (slow across midnight, or resumed) after today's run put itself back as the latest, and
/// <c>GET /api/replenishment/runs/latest</c> showed yesterday's run. <c>latest</c> only moves to a run started later
/// (or to the same run's later saves).
/// </summary>
public class TheLatestRunIsNotReplacedByAnOlderRunTests
{
    private sealed class Killed : Exception;

    [Fact]
    public async Task Yesterdays_run_saving_after_todays_run_leaves_todays_run_the_latest()
    {
        var gate = new GateFirstCommit(new InMemoryDocumentStore(), Collection.Runs, DailyReplenishmentScan.Partition);
        var r = await ReplenishmentScenario.CreateAsync(gate, pageSize: 3, now: new DateTimeOffset(2026, 11, 27, 23, 59, 50, TimeSpan.Zero));
        for (var i = 0; i < 10; i++) await r.ProductAsync($"P{i:D2}", stock: 100);

        var yesterday = Task.Run(() => r.App.ReplenishmentScan.ExecuteAsync()); // slow: its first page's save is held
        await gate.Reached.Task;
        r.Clock.Advance(TimeSpan.FromSeconds(20)); // 00:00:10, today's timer
        var today = await r.App.ReplenishmentScan.ExecuteAsync(pastDue: true);
        Assert.Equal(("20261128", RunStatus.Completed), (today.RunId, today.Status));

        gate.Release.SetResult();
        var finished = await yesterday;
        Assert.Equal(("20261127", RunStatus.Completed, 10L), (finished.RunId, finished.Status, finished.Scanned));

        var latest = await r.App.ReplenishmentScan.LatestAsync();
        Assert.Equal(("20261128", RunStatus.Completed, 10L), (latest!.RunId, latest.Status, latest.Scanned));
    }

    [Fact]
    public async Task An_abandonment_racing_a_later_runs_save_leaves_the_later_run_the_latest()
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store, pageSize: 3, now: new DateTimeOffset(2026, 11, 27, 23, 58, 0, TimeSpan.Zero));
        for (var i = 0; i < 10; i++) await r.ProductAsync($"P{i:D2}", stock: 100);
        var runSaves = 0;
        store.BeforeCommit = (c, p, _) => { if (c == Collection.Runs && p == DailyReplenishmentScan.Partition && ++runSaves == 3) throw new Killed(); };
        await Assert.ThrowsAsync<Killed>(() => r.App.ReplenishmentScan.ExecuteAsync()); // left RUNNING, and the latest
        r.Clock.Advance(TimeSpan.FromHours(2));

        // Between the abandoning run's read of latest and its commit, a run started later saves its first page.
        var runs = new ReplenishmentRuns(store);
        var later = new ReplenishmentRun { RunId = "manual-1", StartedAt = r.Clock.GetUtcNow(), SavedAt = r.Clock.GetUtcNow(), Pages = 1 };
        store.BeforeCommit = (c, _, writes) =>
        {
            if (c != Collection.Runs || !writes.Any(w => w.Id == "run|20261127")) return;
            store.BeforeCommit = null;
            Assert.NotNull(runs.TrySaveAsync(later, null, default).GetAwaiter().GetResult());
        };
        var abandoned = await runs.AbandonStaleAsync("20261128", r.Clock.GetUtcNow(), default);

        Assert.Equal(["20261127"], abandoned);
        Assert.Equal(RunStatus.Abandoned, (await runs.ReadAsync("20261127", default)).Run!.Status);
        Assert.Equal("manual-1", (await runs.LatestAsync(default))!.RunId);
    }
}
