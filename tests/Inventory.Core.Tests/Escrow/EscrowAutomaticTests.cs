using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14, escrow buckets, step 6 of the design as an option (<see cref="EscrowOptions.Automatic"/>): an instance that
/// keeps losing a product's races to other instances reserves it in its bucket, no product named, until a cooldown after
/// the contention stops; then its orders go to the product's partition again, which gathers what the buckets hold.
/// </summary>
public class EscrowAutomaticTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-30T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static InventoryApplication Automatic(EscrowWorld world, ManualClock clock, bool on = true) =>
        new(world.Store, clock) { EscrowOptions = new EscrowOptions { Automatic = on, Buckets = 4, Bucket = 3, Cooldown = TimeSpan.FromSeconds(60) } };

    /// <summary>Other instances won this many races in a row: the product's window grows to its most.</summary>
    private static void LoseRaces(InventoryApplication app, int times)
    {
        for (var i = 0; i < times; i++) app.Committer.Queues.Contention.Lost(EscrowWorld.Product, TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task A_product_this_instance_keeps_losing_races_on_is_reserved_in_its_bucket_until_the_cooldown_after()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var clock = new ManualClock(Start);
        var app = Automatic(world, clock);

        await app.Reserve.ExecuteAsync(new ReserveCommand("CALM", [new(EscrowWorld.Product, 1)]));
        Assert.Null((await app.Orders.FindAsync("CALM", CancellationToken.None))!.Bucket);

        LoseRaces(app, 6);
        await app.Reserve.ExecuteAsync(new ReserveCommand("HOT", [new(EscrowWorld.Product, 2)]));
        Assert.Equal(3, (await app.Orders.FindAsync("HOT", CancellationToken.None))!.Bucket);

        // Its commits now go to the bucket and win: the product's window narrows, the cooldown keeps it in escrow.
        for (var i = 0; i < 10; i++) app.Committer.Queues.Contention.Won(EscrowWorld.Product);
        clock.Advance(TimeSpan.FromSeconds(30));
        await app.Reserve.ExecuteAsync(new ReserveCommand("STILL", [new(EscrowWorld.Product, 1)]));
        Assert.Equal(3, (await app.Orders.FindAsync("STILL", CancellationToken.None))!.Bucket);

        clock.Advance(TimeSpan.FromSeconds(31));
        await app.Reserve.ExecuteAsync(new ReserveCommand("COOL", [new(EscrowWorld.Product, 1)]));
        Assert.Null((await app.Orders.FindAsync("COOL", CancellationToken.None))!.Bucket);

        // The product's partition gathers the bucket's free units when it needs them.
        var rest = 100 - 1 - 2 - 1 - 1;
        var all = await app.Reserve.ExecuteAsync(new ReserveCommand("REST", [new(EscrowWorld.Product, rest)]));
        Assert.Equal(rest, all.Reservation.Lines[0].Reserved);
        Assert.Equal(0, (await app.Stock.GetStockAsync(EscrowWorld.Product)).QuantityAvailable);
        Assert.Equal(3, await world.AssertEscrowBalancesAsync()); // what HOT and STILL hold in bucket 3
    }

    [Fact]
    public async Task Without_the_option_contention_changes_nothing()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = Automatic(world, new ManualClock(Start), on: false);
        LoseRaces(app, 6);

        await app.Reserve.ExecuteAsync(new ReserveCommand("HOT", [new(EscrowWorld.Product, 2)]));

        Assert.Null((await app.Orders.FindAsync("HOT", CancellationToken.None))!.Bucket);
    }
}
