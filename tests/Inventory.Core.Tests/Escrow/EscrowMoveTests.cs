using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14, escrow buckets, steps 1 and 3 of the design: a bucket is a partition of its own whose on hand is what the
/// product holds for it (a reservation of its holder, never counted twice); a grant commits in the product first and
/// in the bucket second, a return the other way round, and a crash between the halves is finished by recovery.
/// </summary>
public class EscrowMoveTests
{
    [Fact]
    public async Task A_grant_holds_the_units_in_the_product_and_makes_them_the_buckets_on_hand()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);

        // At least the 30 asked; a bucket's first grant would take an equal share, 100 over 4 buckets: 25.
        Assert.Equal(30, await app.Escrow.GrantAsync(EscrowWorld.Bucket(2), 30, null, CancellationToken.None));

        Assert.Equal((100, 30), await world.StockOfAsync("P"));
        Assert.Equal((30, 0), await world.StockOfAsync("P~2"));
        Assert.Equal(30, await world.AssertEscrowBalancesAsync());
        var reserve = Assert.Single(await new StockScenario(app).LedgerAsync("P"), e => e.TxnType == TxnType.Reserve);
        Assert.Equal(("P~2", "EscrowGrant", 30L), (reserve.ReferenceId, reserve.ReferenceType, reserve.ReservedDelta));
    }

    [Fact]
    public async Task A_grant_takes_more_than_asked_while_the_product_has_plenty()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 1000);
        var escrow = world.Instance(1).Escrow;
        // A bucket's first grant: an equal share (1000 over 4 buckets); a later one: a quarter of an equal share of what is left.
        Assert.Equal(250, await escrow.GrantAsync(EscrowWorld.Bucket(1), 1, null, CancellationToken.None));
        Assert.Equal(46, await escrow.GrantAsync(EscrowWorld.Bucket(1), 1, null, CancellationToken.None)); // 750 / 4 × 0.25
        Assert.Equal(296, await world.AssertEscrowBalancesAsync());
    }

    [Fact]
    public async Task A_grant_never_takes_more_than_the_product_has_available_in_the_warehouse_asked()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 5, atL2: 50);
        var app = world.Instance(1);
        Assert.Equal(5, await app.Escrow.GrantAsync(EscrowWorld.Bucket(1), 8, "W1", CancellationToken.None));
        Assert.Equal(0, await app.Escrow.GrantAsync(EscrowWorld.Bucket(3), 1, "W1", CancellationToken.None));
        Assert.Equal((0, 0), await world.StockOfAsync("P~3")); // nothing to grant: no bucket made
        Assert.Equal(5, await world.AssertEscrowBalancesAsync());
    }

    [Fact]
    public async Task A_return_gives_the_buckets_free_units_back_to_the_product()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100, atL2: 100);
        var app = world.Instance(1);
        await app.Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None);
        await app.Escrow.GrantAsync(EscrowWorld.Bucket(1), 80, null, CancellationToken.None); // over both locations: 50 + 80

        Assert.Equal(20, await app.Escrow.ReturnAsync(EscrowWorld.Bucket(1), 20, CancellationToken.None));
        Assert.Equal(110, await world.AssertEscrowBalancesAsync());
        Assert.Equal(110, await app.Escrow.ReturnAsync(EscrowWorld.Bucket(1), null, CancellationToken.None));
        Assert.Equal(0, await app.Escrow.ReturnAsync(EscrowWorld.Bucket(1), null, CancellationToken.None));
        Assert.Equal(0, await world.AssertEscrowBalancesAsync());
        Assert.Equal((200, 0), await world.StockOfAsync("P"));
        // The bucket may be granted again after giving everything back.
        var granted = await app.Escrow.GrantAsync(EscrowWorld.Bucket(1), 7, "W2", CancellationToken.None);
        Assert.InRange(granted, 7, 100);
        Assert.Equal(granted, await world.AssertEscrowBalancesAsync());
    }

    [Fact]
    public async Task A_crash_at_any_write_of_a_grant_then_recovery_leaves_the_grant_whole_or_not_made()
    {
        var clean = await EscrowWorld.CreateAsync();
        var writes = await CrashMatrix.WritesOfAsync(clean.Store, () => clean.Instance(1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None));
        Assert.Equal(6, writes); // enlisted, the product's half, the bucket marked and its partition made, the bucket's half, delisted

        await CrashMatrix.EveryWriteAsync(writes, async crash =>
        {
            var world = await EscrowWorld.CreateAsync();
            await CrashMatrix.CrashAsync(world.Store, crash, () => world.Instance(1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None));
            await RecoveryAsync(world);

            var held = await world.AssertEscrowBalancesAsync();
            var productHalfLanded = crash.At > 2 || (crash.At == 2 && crash.Side == FaultSide.LostAcknowledgement);
            Assert.Equal(productHalfLanded ? 30 : 0, held);
            Assert.Equal(productHalfLanded ? (30, 0) : (0, 0), await world.StockOfAsync("P~1"));
        });
    }

    [Fact]
    public async Task A_crash_at_any_write_of_a_return_then_recovery_leaves_the_return_whole_or_not_made()
    {
        async Task<EscrowWorld> GrantedAsync()
        {
            var w = await EscrowWorld.CreateAsync();
            await w.Instance(1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None);
            return w;
        }
        var clean = await GrantedAsync();
        var writes = await CrashMatrix.WritesOfAsync(clean.Store, () => clean.Instance(1).Escrow.ReturnAsync(EscrowWorld.Bucket(1), 4, CancellationToken.None));
        Assert.Equal(4, writes); // enlisted, the bucket's half, the product's half, delisted

        await CrashMatrix.EveryWriteAsync(writes, async crash =>
        {
            var world = await GrantedAsync();
            await CrashMatrix.CrashAsync(world.Store, crash, () => world.Instance(1).Escrow.ReturnAsync(EscrowWorld.Bucket(1), 4, CancellationToken.None));
            await RecoveryAsync(world);

            var bucketHalfLanded = crash.At > 2 || (crash.At == 2 && crash.Side == FaultSide.LostAcknowledgement);
            Assert.Equal(bucketHalfLanded ? 26 : 30, await world.AssertEscrowBalancesAsync());
            Assert.Equal((100, bucketHalfLanded ? 26 : 30), await world.StockOfAsync("P"));
        });
    }

    [Fact]
    public async Task Two_recoveries_racing_over_a_grant_left_half_done_admit_it_once()
    {
        var world = await EscrowWorld.CreateAsync();
        // The product's half lands, the bucket's partition is made, the process dies before the bucket's half.
        await CrashMatrix.CrashAsync(world.Store, new Crash(5, 6, FaultSide.BeforeApplying),
            () => world.Instance(1).Escrow.GrantAsync(EscrowWorld.Bucket(1), 30, null, CancellationToken.None));

        await Task.WhenAll(world.Instance(2).Escrow.RecoverAsync(EscrowWorld.Bucket(1), CancellationToken.None),
            world.Instance(3).Escrow.RecoverAsync(EscrowWorld.Bucket(1), CancellationToken.None));

        Assert.Equal(30, await world.AssertEscrowBalancesAsync());
        Assert.Equal((30, 0), await world.StockOfAsync("P~1"));
    }

    /// <summary>The recovery sweep of another instance, once the move's entry is due: it finishes the move and leaves nothing open.</summary>
    private static async Task RecoveryAsync(EscrowWorld world)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        var sweep = await world.Instance(3, clock).RecoverOrders.ExecuteAsync();
        Assert.Equal(0, sweep.Failed);
        Assert.Equal(0, (await world.Instance(3, clock).RecoverOrders.ExecuteAsync()).Open);
    }

    [Fact]
    public async Task Recovery_with_nothing_unfinished_writes_nothing()
    {
        var world = await EscrowWorld.CreateAsync();
        var app = world.Instance(1);
        await app.Escrow.GrantAsync(EscrowWorld.Bucket(1), 10, null, CancellationToken.None);
        await app.Escrow.ReturnAsync(EscrowWorld.Bucket(1), 3, CancellationToken.None);
        var before = world.Store.Commits;
        foreach (var i in Enumerable.Range(1, 4)) await app.Escrow.RecoverAsync(EscrowWorld.Bucket(i), CancellationToken.None);
        Assert.Equal(before, world.Store.Commits);
    }
}
