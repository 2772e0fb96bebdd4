using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14: the recovery sweep's fence on a move (<see cref="EscrowStalledMoveTests"/>) against the races around it, from
/// a review: a first half whose answer was lost and that the store's client sends again after a sweep, a return that
/// stalls and lives on, and a sweep whose clock runs ahead and fences every attempt (which once retried without end).
/// </summary>
public class EscrowFenceTests
{
    /// <summary>Runs <paramref name="sweep"/> just before every first half of a grant reaches the product (a sweep whose clock is ahead).</summary>
    private sealed class SweepBeforeEachGrant(IDocumentStore inner, Func<Task> sweep) : DelegatingStore(inner)
    {
        public int Fenced;
        public volatile bool Stop;

        public override async Task CommitAsync(Collection collection, string p, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            if (!Stop && collection == Collection.Products && p == EscrowWorld.Product && writes.Any(w => w.Id.StartsWith("op|grant|", StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref Fenced);
                await sweep();
            }
            await base.CommitAsync(collection, p, writes, ct);
        }
    }

    [Fact]
    public async Task A_grant_fenced_at_every_attempt_gives_up_after_a_few_with_nothing_held()
    {
        var world = await EscrowWorld.CreateAsync();
        // The sweeping instance's clock is ten minutes ahead: every move it sees is due (RecoverAfterSeconds = 60).
        var sweeper = world.Instance(3, new ManualClock(DateTimeOffset.UtcNow.AddMinutes(10)));
        var store = new SweepBeforeEachGrant(world.Store, async () => await sweeper.RecoverOrders.ExecuteAsync());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a test that hangs ends, and fails below
        var grant = EscrowWorld.Over(store, 1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, cts.Token);

        var e = await Assert.ThrowsAsync<ConcurrencyExhaustedException>(() => grant);

        Assert.Equal(Inventory.Application.Escrow.EscrowBuckets.MaxFencedAttempts, store.Fenced);
        Assert.Contains("P~1", e.Message, StringComparison.Ordinal);
        store.Stop = true;
        Assert.Equal(0, await world.AssertEscrowBalancesAsync());
        Assert.Equal((100, 0), await world.StockOfAsync("P"));
    }

    /// <summary>
    /// The first commit in <paramref name="partition"/> lands, its answer is lost, <paramref name="meanwhile"/> runs, and the
    /// SDK sends it again: the retry meets what the first attempt wrote (a conflict the committer re-decides on).
    /// </summary>
    private sealed class LostAnswerRetried(IDocumentStore inner, string partition, Func<Task> meanwhile) : DelegatingStore(inner)
    {
        private int done;

        public override async Task CommitAsync(Collection collection, string p, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            if (collection == Collection.Products && p == partition && Interlocked.CompareExchange(ref done, 1, 0) == 0)
            {
                await base.CommitAsync(collection, p, writes, ct);
                await meanwhile();
            }
            await base.CommitAsync(collection, p, writes, ct);
        }
    }

    private static Func<Task> Sweep(EscrowWorld world) => async () =>
        Assert.Equal(0, (await world.Instance(3, new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5))).RecoverOrders.ExecuteAsync()).Failed);

    [Fact]
    public async Task A_grant_whose_first_half_landed_unanswered_and_was_retried_across_a_sweep_moves_its_units_once()
    {
        var world = await EscrowWorld.CreateAsync();
        var store = new LostAnswerRetried(world.Store, EscrowWorld.Product, Sweep(world));
        var granted = await EscrowWorld.Over(store, 1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None);
        Assert.Equal(granted, await world.AssertEscrowBalancesAsync());
        Assert.Equal((granted, 0), await world.StockOfAsync("P~1"));
    }

    [Fact]
    public async Task A_return_whose_first_half_landed_unanswered_and_was_retried_across_a_sweep_moves_its_units_once()
    {
        var world = await EscrowWorld.CreateAsync();
        Assert.Equal(30, await world.Instance(1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None));
        var store = new LostAnswerRetried(world.Store, EscrowWorld.Bucket(1).Partition, Sweep(world));
        Assert.Equal(10, await EscrowWorld.Over(store, 1).Escrow.ReturnAsync(EscrowWorld.Bucket(1), 10, CancellationToken.None));
        Assert.Equal(20, await world.AssertEscrowBalancesAsync());
        Assert.Equal((100, 20), await world.StockOfAsync("P"));
    }

    [Fact]
    public async Task A_return_stalled_past_the_sweep_is_fenced_and_made_anew_when_its_instance_lives_on()
    {
        var world = await EscrowWorld.CreateAsync();
        Assert.Equal(30, await world.Instance(1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None));
        var stalling = new StallingStore(world.Store, EscrowWorld.Bucket(1).Partition, livesOn: true);
        var returned = EscrowWorld.Over(stalling, 1).Escrow.ReturnAsync(EscrowWorld.Bucket(1), 10, CancellationToken.None);
        await stalling.Stalled.Task;
        await Sweep(world)();
        stalling.Release.SetResult();
        Assert.Equal(10, await returned);
        Assert.Equal(20, await world.AssertEscrowBalancesAsync());
        Assert.Equal((100, 20), await world.StockOfAsync("P"));
    }
}
