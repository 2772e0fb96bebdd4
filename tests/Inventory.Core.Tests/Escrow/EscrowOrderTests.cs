using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14, escrow buckets, steps 2 and 4 of the design: a one-product order of a product in escrow reserves in the
/// bucket of the instance that claims it, its header names the bucket, and every reader by order id goes there; a
/// release stays in the bucket, a shipment is settled in the product; an order is refused only when the product and
/// every bucket together lack the units.
/// </summary>
public class EscrowOrderTests
{
    private static ReserveCommand Order(string id, long quantity, int? holdMinutes = null) =>
        new(id, [new(EscrowWorld.Product, quantity)], HoldMinutes: holdMinutes);

    /// <summary>A world where order O1 holds 3 units in bucket 1 (granted 25: its first grant, an equal share of 100 over 4 buckets).</summary>
    private static async Task<EscrowWorld> ReservedAsync()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(1).Reserve.ExecuteAsync(Order("O1", 3));
        return world;
    }

    /// <summary>O1 shipped 2 of its 3 units: gone from the bucket's on hand and, settled, from the product's and the holder.</summary>
    private static async Task AssertTwoShippedAsync(EscrowWorld world)
    {
        Assert.Equal((23, 1), await world.StockOfAsync("P~1"));
        Assert.Equal((98, 23), await world.StockOfAsync("P"));
        Assert.Equal(23, await world.AssertEscrowBalancesAsync());
    }

    [Fact]
    public async Task An_order_reserves_in_the_bucket_of_the_instance_that_claims_it_and_every_instance_finds_it_there()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var result = await world.Instance(2).Reserve.ExecuteAsync(Order("O1", 3));

        Assert.True(result.Created);
        Assert.Equal(2, (await world.Instance(1).Orders.FindAsync("O1", CancellationToken.None))!.Bucket);
        Assert.Equal((25, 3), await world.StockOfAsync("P~2")); // the bucket's first grant: an equal share, 100 over 4 buckets
        Assert.Equal((100, 25), await world.StockOfAsync("P"));
        Assert.Equal(25, await world.AssertEscrowBalancesAsync());

        var replay = await world.Instance(3).Reserve.ExecuteAsync(Order("O1", 3));
        Assert.False(replay.Created);
        Assert.Equal(3, Assert.Single(replay.Reservation.Lines).Reserved);
        Assert.Equal(3, Assert.Single((await world.Instance(4).Orders.ViewAsync("O1", CancellationToken.None)).Lines).Reserved);
        Assert.Equal((25, 3), await world.StockOfAsync("P~2"));
    }

    [Fact]
    public async Task A_release_gives_the_units_back_to_the_bucket()
    {
        var world = await ReservedAsync();

        var view = await world.Instance(2).Release.ExecuteAsync(new ReservationChangeCommand("O1", null, "r1"));

        Assert.Equal(3, Assert.Single(view.Lines).Released);
        Assert.Equal((25, 0), await world.StockOfAsync("P~1"));
        Assert.Equal((100, 25), await world.StockOfAsync("P"));
        Assert.Equal(25, await world.AssertEscrowBalancesAsync());
    }

    [Fact]
    public async Task A_shipment_in_a_bucket_is_settled_in_the_product_with_a_SHIP_entry_naming_the_order()
    {
        var world = await ReservedAsync();

        var view = await world.Instance(3).Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new(EscrowWorld.Product, 2)], "ship-1"));

        Assert.Equal(2, Assert.Single(view.Lines).Shipped);
        await AssertTwoShippedAsync(world);
        var ledger = await new StockScenario(world.Instance(1)).LedgerAsync(EscrowWorld.Product); // the product's, and its buckets'
        var ship = Assert.Single(ledger, e => (e.ProductId, e.TxnType) == (EscrowWorld.Product, TxnType.Ship));
        Assert.Single(ledger, e => (e.ProductId, e.TxnType) == (EscrowWorld.Bucket(1).Partition, TxnType.Ship));
        Assert.Equal(("O1", -2L, -2L), (ship.ReferenceId, ship.OnHandDelta, ship.ReservedDelta));
    }

    [Fact]
    public async Task A_crash_at_any_write_of_a_shipment_then_a_retry_ends_as_one_clean_run()
    {
        var fulfil = new ReservationChangeCommand("O1", [new(EscrowWorld.Product, 2)], "ship-1");
        var clean = await ReservedAsync();
        var writes = await CrashMatrix.WritesOfAsync(clean.Store, () => clean.Instance(1).Fulfill.ExecuteAsync(fulfil));
        Assert.Equal(7, writes); // saga enlisted, intent, enlisted again, the bucket's shipment, the product's settlement, intent closed, delisted

        await CrashMatrix.EveryWriteAsync(writes, async crash =>
        {
            var world = await ReservedAsync();
            await CrashMatrix.CrashAsync(world.Store, crash, () => world.Instance(1).Fulfill.ExecuteAsync(fulfil));
            var view = await world.Instance(2).Fulfill.ExecuteAsync(fulfil);

            Assert.Equal(2, Assert.Single(view.Lines).Shipped);
            await AssertTwoShippedAsync(world);
        });
    }

    [Fact]
    public async Task Twin_shipments_of_one_reference_on_two_instances_ship_and_settle_once()
    {
        var world = await ReservedAsync();
        var fulfil = new ReservationChangeCommand("O1", [new(EscrowWorld.Product, 2)], "ship-1");

        var views = await Task.WhenAll(world.Instance(2).Fulfill.ExecuteAsync(fulfil), world.Instance(3).Fulfill.ExecuteAsync(fulfil));

        Assert.All(views, v => Assert.Equal(2, Assert.Single(v.Lines).Shipped));
        await AssertTwoShippedAsync(world);
        Assert.Single(await new StockScenario(world.Instance(1)).LedgerAsync(EscrowWorld.Product), e => (e.ProductId, e.TxnType) == (EscrowWorld.Product, TxnType.Ship));
    }

    [Fact]
    public async Task An_order_is_refused_only_when_the_product_and_every_bucket_together_lack_the_units()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        for (var i = 1; i <= 4; i++) await world.Instance(i).Reserve.ExecuteAsync(Order($"A{i}", 1)); // each bucket granted 5 or 6
        for (var b = 2; b <= 4; b++) Assert.True((await world.StockOfAsync($"P~{b}")).OnHand > 1, "the other buckets hold free units");

        // 96 left, spread over the product and four buckets: an order of 96 on bucket 1 gathers them all.
        var big = await world.Instance(1).Reserve.ExecuteAsync(Order("BIG", 96));
        Assert.Equal(96, Assert.Single(big.Reservation.Lines).Reserved);
        await Assert.ThrowsAsync<InsufficientStockException>(() => world.Instance(3).Reserve.ExecuteAsync(Order("ONE-MORE", 1)));

        Assert.Equal((100, 100), await world.StockOfAsync("P"));
        Assert.Equal(100, await world.AssertEscrowBalancesAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_order_reserved_in_the_products_partition_gathers_the_buckets_free_units_before_it_is_refused(bool severalProducts)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await new Inventory.Testing.StockScenario(world.Instance(1)).ProductAsync("Q");
        await world.Instance(1).Receive.ExecuteAsync(new Inventory.Application.Stock.ReceiveCommand("Q", "L1", 5, "q-opening"));
        await world.Instance(1).Reserve.ExecuteAsync(Order("O1", 3));
        await world.Instance(2).Reserve.ExecuteAsync(Order("O2", 2));
        Assert.True(100 - (await world.StockOfAsync("P")).Reserved < 95, "the product's own partition lacks the units");

        // An order of several products runs as a saga in the products' partitions; an instance with escrow switched off
        // reserves a one-product order there too.
        var plain = new Inventory.Testing.InventoryApplication(world.Store);
        var result = severalProducts
            ? await world.Instance(3).Reserve.ExecuteAsync(new ReserveCommand("BIG", [new(EscrowWorld.Product, 95), new("Q", 1)]))
            : await plain.Reserve.ExecuteAsync(Order("BIG", 95));

        Assert.Equal(95, result.Reservation.Lines.Single(l => l.ProductId == EscrowWorld.Product).Reserved);
        Assert.Equal((100, 100), await world.StockOfAsync("P"));
        Assert.Equal(5, await world.AssertEscrowBalancesAsync()); // what orders O1 and O2 hold in their buckets
        await Assert.ThrowsAsync<InsufficientStockException>(() => plain.Reserve.ExecuteAsync(Order("NONE-LEFT", 1)));
    }

    [Fact]
    public async Task A_burst_of_orders_in_an_empty_bucket_is_not_refused_while_the_product_has_units()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(Order("FIRST", 25)); // bucket 1 made, granted 25, all reserved: empty again

        // Thirty orders at once find bucket 1 empty and join the one grant in flight, held until all have asked: it
        // brings a quarter of an equal share of what the product has (4 of 75), far fewer than they need.
        world.Gate.Close();
        var burst = Enumerable.Range(0, 30).Select(i => app.Reserve.ExecuteAsync(Order($"B{i:D2}", 1))).ToArray();
        await world.Gate.Blocked;
        await Task.Delay(200);
        world.Gate.Open();
        var results = await Task.WhenAll(burst);

        Assert.All(results, r => Assert.Equal(1, r.Reservation.Lines[0].Reserved));
        Assert.Equal(55, (await world.StockOfAsync("P~1")).Reserved);
        Assert.Equal(45, (await world.Instance(2).Stock.GetStockAsync(EscrowWorld.Product)).QuantityAvailable);
        await world.AssertEscrowBalancesAsync();
    }

    [Fact]
    public async Task Instances_racing_in_their_own_buckets_never_reserve_more_than_the_product_has()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 50);
        var instances = Enumerable.Range(1, 4).Select(i => world.Instance(i)).ToArray();

        var attempts = Enumerable.Range(0, 80).Select(async i =>
        {
            try { return (await instances[i % 4].Reserve.ExecuteAsync(Order($"R{i:D2}", 1))).Reservation.Lines[0].Reserved; }
            catch (InsufficientStockException) { return 0L; }
        });
        var reserved = (await Task.WhenAll(attempts)).Sum();

        Assert.Equal(50, reserved);
        Assert.Equal((50, 50), await world.StockOfAsync("P"));
        Assert.Equal(50, await world.AssertEscrowBalancesAsync());
        long inBuckets = 0;
        for (var b = 1; b <= 4; b++) inBuckets += (await world.StockOfAsync($"P~{b}")).Reserved;
        Assert.Equal(50, inBuckets);
    }

    [Fact]
    public async Task A_hold_that_falls_due_is_released_in_the_bucket()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2, clock).Reserve.ExecuteAsync(Order("O1", 3, holdMinutes: 10));

        clock.Advance(TimeSpan.FromMinutes(11));
        await world.Instance(1, clock).ExpireHolds.ExecuteAsync();

        Assert.Equal((25, 0), await world.StockOfAsync("P~2"));
        Assert.Equal(25, await world.AssertEscrowBalancesAsync());
    }
}
