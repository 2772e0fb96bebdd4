using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Issue 12: a fulfilment or release over several products is a saga (intent in the order's partition, one step per
/// product, outcome recorded). A process that dies before or after any of its writes, followed by a retry of the same
/// request on a fresh instance, or by recovery, ends in the state of one clean run.
/// </summary>
public class ChangeSagaCrashTests
{
    // Writes of a two-product change: the open-saga entry, the intent, the entry again (a delisting that raced the intent
    // cannot leave it out: AChangeEnlistedWhileAReplayOfTheOrderDelistsIsStillRecoveredTests), product A, product B, the
    // outcome closing the intent, the open-saga entry removed. The scenario's products have no weight or volume, so no
    // location load is written.
    private const int Writes = 7;

    private static async Task<(InMemoryDocumentStore Store, FaultyStore Crashing)> ReservedAsync()
    {
        var store = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4), new("B", 3)]));
        return (store, new FaultyStore(store));
    }

    private static readonly ReservationChangeCommand Fulfil = new("O1", [new("A", 2), new("B", null)], "ship-1");
    private static readonly ReservationChangeCommand Release = new("O1", [new("B", 1), new("A", 1)]);

    private static ChangeReservation Saga(InventoryApplication app, bool fulfil) => fulfil ? app.Fulfill : app.Release;

    /// <summary>What one clean run leaves: (on-hand, reserved) of A and B, and the response's lines.</summary>
    private static async Task<(long, long, long, long)> StockOf(InventoryApplication app)
    {
        var a = await app.Stock.GetStockAsync("A");
        var b = await app.Stock.GetStockAsync("B");
        return (a.QuantityOnHand, a.QuantityReserved, b.QuantityOnHand, b.QuantityReserved);
    }

    private static async Task<((long, long, long, long) Stock, ReservationView View)> CleanRunAsync(bool fulfil)
    {
        var (store, _) = await ReservedAsync();
        var app = new InventoryApplication(store);
        var view = await Saga(app, fulfil).ExecuteAsync(fulfil ? Fulfil : Release);
        return (await StockOf(app), view);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_crash_at_any_write_then_a_retry_on_a_fresh_instance_ends_as_one_clean_run(bool fulfil)
    {
        var clean = await CleanRunAsync(fulfil);
        await CrashMatrix.EveryWriteAsync(Writes, async crash =>
        {
            var (store, crashing) = await ReservedAsync();
            await CrashMatrix.CrashAsync(crashing, crash, () => Saga(new InventoryApplication(crashing), fulfil).ExecuteAsync(fulfil ? Fulfil : Release));

            var fresh = new InventoryApplication(store);
            var retried = await Saga(fresh, fulfil).ExecuteAsync(fulfil ? Fulfil : Release);

            await AssertSameAsCleanAsync(fresh, clean, retried);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_crash_at_any_write_then_recovery_ends_as_one_clean_run(bool fulfil)
    {
        var clean = await CleanRunAsync(fulfil);
        await CrashMatrix.EveryWriteAsync(Writes, async crash =>
        {
            var (store, crashing) = await ReservedAsync();
            await CrashMatrix.CrashAsync(crashing, crash, () => Saga(new InventoryApplication(crashing), fulfil).ExecuteAsync(fulfil ? Fulfil : Release));

            var fresh = new InventoryApplication(store);
            var resumed = await fresh.ResumeChanges.ExecuteAsync("O1");
            var afterApplying = crash.Side == FaultSide.LostAcknowledgement;
            var intentRecorded = crash.At > 2 || (crash.At == 2 && afterApplying);
            var outcomeRecorded = crash.At == Writes || (crash.At == Writes - 1 && afterApplying);
            Assert.Equal(intentRecorded && !outcomeRecorded ? 1 : 0, resumed);
            await foreach (var open in fresh.Orders.OpenSagasAsync(default))
                Assert.NotEqual(("change", "O1"), (open.Kind, open.OrderId)); // recovery leaves nothing in the index
            if (!intentRecorded)
            {
                // Nothing was recorded: nothing changed, and the caller's retry is the way forward.
                Assert.Equal((10L, 4L, 10L, 3L), await StockOf(fresh));
                await Saga(fresh, fulfil).ExecuteAsync(fulfil ? Fulfil : Release);
            }
            // A retry after recovery is a replay: same outcome, no second effect.
            var replayed = await Saga(fresh, fulfil).ExecuteAsync(fulfil ? Fulfil : Release);
            await AssertSameAsCleanAsync(fresh, clean, replayed);
        });
    }

    private static async Task AssertSameAsCleanAsync(InventoryApplication app, ((long, long, long, long) Stock, ReservationView View) clean, ReservationView view)
    {
        Assert.Equal(clean.Stock, await StockOf(app));
        Assert.Equal(clean.View.Change!.Lines, view.Change!.Lines);
        Assert.Equal(clean.View.Lines.Select(l => (l.Shipped, l.Released, l.Remaining)), view.Lines.Select(l => (l.Shipped, l.Released, l.Remaining)));
        Assert.Empty(await app.Orders.OpenIntentsAsync("O1", default));
        foreach (var product in new[] { "A", "B" })
        {
            var report = await app.Invariants.CheckAsync(product);
            Assert.True(report.Holds, string.Join("\n", report.Violations));
        }
    }

    [Fact]
    public async Task The_clean_runs_make_exactly_the_writes_the_crash_tests_count()
    {
        foreach (var fulfil in new[] { true, false })
        {
            var (_, crashing) = await ReservedAsync();
            Assert.Equal(Writes, await CrashMatrix.WritesOfAsync(crashing, () => Saga(new InventoryApplication(crashing), fulfil).ExecuteAsync(fulfil ? Fulfil : Release)));
        }
    }
}
