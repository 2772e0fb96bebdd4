using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Left in docs/architecture.md (retype, "what remains"): a grant carries the type of each location as the product's
/// balance had it when the grant was decided, and a bucket's balance first created by the grant's second half (admitted
/// in the bucket) takes it. A retype of that location whose pass listed the partitions there before the bucket had a
/// balance, and reached the product after the grant read it, left the bucket allocating by the old type for good: no
/// later movement of the product reaches the bucket, and saving the location again with the same type runs no pass.
/// </summary>
public class AGrantRacingARetypeLeavesTheBucketWithTheLocationsFinalTypeTests
{
    [Fact]
    public async Task A_bucket_balance_admitted_after_a_retype_ended_takes_the_new_type()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var setUp = new StockScenario(EscrowWorld.Over(world.Memory, 1));
        await setUp.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 1)])); // bucket 1 made, granted at L1
        await setUp.LocationAsync("W1", "L3", LocationType.PickFace);
        await setUp.StockAsync(EscrowWorld.Product, "L3", 100);

        // Another instance of bucket 1 runs short: its grant is decided on L3 as a pick face, and its admission is held.
        var bucket = EscrowWorld.Bucket(1).Partition;
        var gate = new GateFirstCommit(world.Memory, Collection.Products, bucket);
        var reserving = EscrowWorld.Over(gate, 1).Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 60)]));
        await gate.Reached.Task;
        await setUp.LocationAsync("W1", "L3", LocationType.Bulk); // its pass finds no balance of the bucket at L3 yet
        gate.Release.SetResult();
        await reserving;

        var balances = (await new ProductPartitions(world.Memory).StockAsync(bucket, CancellationToken.None, withBuckets: false))!.Value.Balances;
        Assert.Equal(LocationType.Bulk, balances.Single(b => b.LocationId == "L3").LocationType);
        await world.AssertEscrowBalancesAsync();
    }
}
