using Inventory.Application.Replenishment;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// From the team's notes: a run's record is per UTC day, and only an invocation of the same day resumed it. A run whose
/// instance was killed near midnight stayed RUNNING for good, since every later run had another day's id and never
/// looked at it. The next run, whatever its day, closes a run no one has saved for longer than its lease.
/// </summary>
public class ARunLeftRunningIsAbandonedByTheNextDaysRunTests
{
    private sealed class Killed : Exception;

    [Fact]
    public async Task The_next_days_run_marks_a_run_killed_before_midnight_abandoned_and_completes_its_own()
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store, pageSize: 3, now: new DateTimeOffset(2026, 11, 27, 23, 58, 0, TimeSpan.Zero));
        for (var i = 0; i < 10; i++) await r.ProductAsync($"P{i:D2}", stock: 100);

        var runSaves = 0;
        store.BeforeCommit = (c, p, _) => { if (c == Collection.Runs && p == DailyReplenishmentScan.Partition && ++runSaves == 3) throw new Killed(); };
        await Assert.ThrowsAsync<Killed>(() => r.App.ReplenishmentScan.ExecuteAsync(pastDue: true));
        store.BeforeCommit = null;

        r.Clock.Advance(TimeSpan.FromHours(2)); // the next night's timer, 2026-11-28 01:58
        var tonight = await r.App.ReplenishmentScan.ExecuteAsync();

        Assert.Equal(("20261128", RunStatus.Completed, 10L), (tonight.RunId, tonight.Status, tonight.Scanned));
        var (killed, _) = await new ReplenishmentRuns(store).ReadAsync("20261127", default);
        Assert.Equal(RunStatus.Abandoned, killed!.Status);
        Assert.Equal("20261128", killed.AbandonedBy);
        Assert.Equal(2, killed.Pages); // what it recorded before it died stays readable
    }

    [Fact]
    public async Task A_run_of_another_day_saved_within_its_lease_is_left_running()
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store, pageSize: 3, now: new DateTimeOffset(2026, 11, 27, 23, 59, 50, TimeSpan.Zero));
        for (var i = 0; i < 10; i++) await r.ProductAsync($"P{i:D2}", stock: 100);

        var runSaves = 0;
        store.BeforeCommit = (c, p, _) => { if (c == Collection.Runs && p == DailyReplenishmentScan.Partition && ++runSaves == 3) throw new Killed(); };
        await Assert.ThrowsAsync<Killed>(() => r.App.ReplenishmentScan.ExecuteAsync());
        store.BeforeCommit = null;

        r.Clock.Advance(TimeSpan.FromSeconds(20)); // 00:00:10: the run before midnight may still be going on another instance
        await r.App.ReplenishmentScan.ExecuteAsync(pastDue: true);
        var (yesterday, _) = await new ReplenishmentRuns(store).ReadAsync("20261127", default);
        Assert.Equal(RunStatus.Running, yesterday!.Status);

        r.Clock.Advance(ReplenishmentRun.Lease); // no save since: it died
        await r.App.ReplenishmentScan.ExecuteAsync(runId: "manual-1");
        (yesterday, _) = await new ReplenishmentRuns(store).ReadAsync("20261127", default);
        Assert.Equal((RunStatus.Abandoned, "manual-1"), (yesterday!.Status, yesterday.AbandonedBy));
    }
}
