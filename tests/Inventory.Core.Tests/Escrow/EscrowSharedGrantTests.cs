using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// The start of a flash sale: every instance of a bucket finds it empty at once and asks the product for a grant. The
/// grants queue on the product's one partition (measured: 40 instances, 8 buckets, the last bucket served after 1.5 s,
/// the first second's p99 1.6 s against 0.7–1 s after), so an instance whose grant loses its race to another
/// instance's grant for the same bucket waits for those units instead of taking more.
/// </summary>
public class EscrowSharedGrantTests
{
    private static ReserveCommand Order(string id) => new(id, [new(EscrowWorld.Product, 1)]);

    /// <summary>Another instance of bucket 1, over <paramref name="store"/>: past the world's gate (its commits are never held).</summary>
    private static InventoryApplication Ungated(Storage.IDocumentStore store, TimeProvider? clock = null) =>
        new(store, clock)
        {
            EscrowOptions = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { EscrowWorld.Product }, Buckets = 4, Bucket = 1 },
        };

    /// <summary>Bucket 1 made and emptied (granted 6, all reserved), then B's grant held at the product's commit.</summary>
    private static async Task<(EscrowWorld World, InventoryApplication B, Task<ReserveResult> Waiting)> RacingAsync()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var b = world.Instance(1);
        await b.Reserve.ExecuteAsync(new("FIRST", [new(EscrowWorld.Product, 6)]));
        world.Gate.Close();
        var waiting = b.Reserve.ExecuteAsync(Order("B1"));
        await world.Gate.Blocked; // B read the product (nothing held for bucket 1 beyond the 6) and is about to grant
        return (world, b, waiting);
    }

    [Fact]
    public async Task An_instance_whose_grant_loses_to_another_grant_for_its_bucket_uses_those_units_instead_of_taking_more()
    {
        var (world, b, waiting) = await RacingAsync();
        var a = Ungated(world.Memory);
        await a.Reserve.ExecuteAsync(Order("A1")); // A's grant lands first, in the product and in the bucket

        world.Gate.Open();
        var result = await waiting;

        Assert.Equal(1, result.Reservation.Lines[0].Reserved);
        Assert.Equal((1, 0), (a.Escrow.Moves.Grants, b.Escrow.Moves.Grants - 1)); // B made only FIRST's grant
        Assert.Equal((11, 8), await world.StockOfAsync("P~1")); // 6 + A's 5 (a quarter of 94 over 4 buckets); FIRST, A1, B1
        Assert.Equal(11, await world.AssertEscrowBalancesAsync());
    }

    [Fact]
    public async Task An_instance_that_waits_for_a_grant_that_never_reaches_the_bucket_makes_its_own()
    {
        var (world, b, waiting) = await RacingAsync();
        var faulty = new FaultyStore(world.Memory);
        var a = Ungated(faulty);
        faulty.Arm(at: 3); // A's grant: enlisted (1), the product's half (2), then A dies before the bucket's half
        await Assert.ThrowsAsync<StoreFaultException>(() => a.Escrow.GrantAsync(EscrowWorld.Bucket(1), 1, null, CancellationToken.None));

        world.Gate.Open();
        var result = await waiting;

        Assert.Equal(1, result.Reservation.Lines[0].Reserved);
        Assert.Equal(2, b.Escrow.Moves.Grants); // FIRST's, and its own after waiting
        var sweep = await Ungated(world.Memory, new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5))).RecoverOrders.ExecuteAsync(); // A's grant finished
        Assert.Equal((1, 0), (sweep.Finished, sweep.Failed));
        Assert.Equal(16, await world.AssertEscrowBalancesAsync()); // 6 + A's 5 + B's 5
        Assert.Equal(7, (await world.StockOfAsync("P~1")).Reserved);
    }
}
