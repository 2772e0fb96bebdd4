using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14, a limit of escrow until now: a move whose instance stalls after enlisting it, past the time the recovery
/// sweep waits, is found by the sweep with no half landed and delisted. If the stalled first half then lands and the
/// instance dies before the second, no entry leads recovery to it: the units stay held for the bucket and never reach
/// it (safe, but unsellable). The sweep now fences the move before delisting it, so the late first half cannot land.
/// </summary>
public class EscrowStalledMoveTests
{
    private static async Task SweepAsync(EscrowWorld world, int minutes)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(minutes));
        Assert.Equal(0, (await world.Instance(3, clock).RecoverOrders.ExecuteAsync()).Failed);
    }

    [Fact]
    public async Task A_grant_stalled_past_the_sweep_then_landing_its_first_half_and_dying_strands_no_units()
    {
        var world = await EscrowWorld.CreateAsync();
        var stalling = new StallingStore(world.Store, EscrowWorld.Product, livesOn: false);
        var grant = EscrowWorld.Over(stalling, 1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None);
        await stalling.Stalled.Task; // enlisted; its first half is on its way

        await SweepAsync(world, 5); // the move is due: no half of it landed
        Assert.False(await world.Instance(3).Partitions.ExistsAsync("P~1", CancellationToken.None)); // a fence moves nothing: no bucket made for it
        stalling.Release.SetResult(); // the first half goes on, and the instance dies after it
        await Assert.ThrowsAnyAsync<Exception>(() => grant);
        await SweepAsync(world, 10);

        var held = await world.AssertEscrowBalancesAsync(); // what the product holds for each bucket is in that bucket
        Assert.Equal((held, 0), await world.StockOfAsync("P~1"));
        Assert.Equal(0, (await world.Instance(3, new ManualClock(DateTimeOffset.UtcNow.AddMinutes(15))).RecoverOrders.ExecuteAsync()).Open);
        Assert.Equal((100, held), await world.StockOfAsync("P"));
    }

    [Fact]
    public async Task A_grant_stalled_past_the_sweep_is_fenced_and_made_anew_when_its_instance_lives_on()
    {
        var world = await EscrowWorld.CreateAsync();
        var stalling = new StallingStore(world.Store, EscrowWorld.Product, livesOn: true);
        var grant = EscrowWorld.Over(stalling, 1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None);
        await stalling.Stalled.Task;

        await SweepAsync(world, 5);
        stalling.Release.SetResult(); // its first half finds the fence, and it grants under a new id

        var granted = await grant;
        Assert.InRange(granted, 30, 100);
        Assert.Equal(granted, await world.AssertEscrowBalancesAsync());
        Assert.Equal((granted, 0), await world.StockOfAsync("P~1"));
        Assert.Equal(0, (await world.Instance(3, new ManualClock(DateTimeOffset.UtcNow.AddMinutes(10))).RecoverOrders.ExecuteAsync()).Open);
    }

    [Fact]
    public async Task A_return_stalled_past_the_sweep_then_landing_its_first_half_and_dying_strands_no_units()
    {
        var world = await EscrowWorld.CreateAsync();
        Assert.Equal(30, await world.Instance(1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None));
        var stalling = new StallingStore(world.Store, EscrowWorld.Bucket(1).Partition, livesOn: false);
        var returned = EscrowWorld.Over(stalling, 1).Escrow.ReturnAsync(EscrowWorld.Bucket(1), 10, CancellationToken.None);
        await stalling.Stalled.Task;

        await SweepAsync(world, 5);
        Assert.Empty(await world.Instance(3).Partitions.OperationsAsync("P", OperationKind.Return, "1.", CancellationToken.None)); // nothing to reclaim for a fence
        stalling.Release.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => returned);
        await SweepAsync(world, 10);

        var held = await world.AssertEscrowBalancesAsync();
        Assert.Equal((held, 0), await world.StockOfAsync("P~1"));
        Assert.Equal((100, held), await world.StockOfAsync("P"));
    }
}
