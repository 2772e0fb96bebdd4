using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review (order lifecycle): a fulfilment (or release) of a one-product order claimed in an escrow bucket that is
/// not made yet (the claimant is still making it, or died / answered 503 between the claim and the bucket's making) is
/// answered 404 <c>product-not-found</c> naming the bucket's internal partition (<c>P~1</c>), while its intent stays
/// recorded and pending, the order enlisted. Once the order is reserved (the claimant goes on, or the caller's retry),
/// <see cref="RecoverOrders"/> finishes that pending intent and ships the order: units leave the shelf for a request the
/// caller was told failed. Without escrow the same request is refused by its step (404 <c>reservation-not-found</c>), the
/// refusal recorded and the intent abandoned, so nothing happens later.
/// <c>ChangeReservation.FinishAsync</c> runs the step through <c>StockCommitter.RunAsync(order.StockOf(...))</c>, whose
/// load throws <see cref="ProductNotFoundException"/> for a bucket partition that does not exist yet: an exception out
/// of the saga after its intent is durable, instead of a refusal of the step. A fix: treat a bucket not made as "no
/// reservation" (a step refusal, the intent abandoned), e.g. look the order's reservation up before recording the intent
/// of a bucket order, or map the missing bucket partition to <see cref="ReservationNotFoundException"/> in the step.
/// </summary>
public class AChangeOfABucketOrderBeforeItsBucketIsMadeChangesNothingTests
{
    [Fact]
    public async Task A_fulfilment_answered_an_error_before_the_bucket_was_made_never_ships_later()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        // The claimant (instance of bucket 1) claims O1 and is held as it makes bucket 1's partition.
        var gate = new GateFirstCommit(world.Memory, Collection.Products, EscrowWorld.Bucket(1).Partition);
        var claimant = EscrowWorld.Over(gate, 1);
        var reserving = Task.Run(() => claimant.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])));
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Meanwhile the merchant's system asks to ship O1 (its header exists, naming bucket 1): refused.
        var answer = await Record.ExceptionAsync(() =>
            EscrowWorld.Over(world.Memory, 2).Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", Reference: "ship-1")));

        gate.Release.SetResult();
        Assert.True((await reserving).Created);
        var recovery = new InventoryApplication(world.Memory)
        {
            EscrowOptions = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { EscrowWorld.Product }, Buckets = 4, Bucket = 3 },
            OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 },
        };
        await recovery.RecoverOrders.ExecuteAsync();

        var domain = Assert.IsAssignableFrom<DomainException>(answer);
        var view = await recovery.Orders.ViewAsync("O1", CancellationToken.None);
        var line = Assert.Single(view.Lines);
        var pending = await recovery.Orders.OpenIntentsAsync("O1", CancellationToken.None);
        Assert.True(line.Shipped == 0 && line.Remaining == 3 && pending.Count == 0,
            $"the fulfilment was answered {domain.Code} ({domain.Message}), yet afterwards O1 shipped {line.Shipped} and holds {line.Remaining} "
            + $"(status {view.Status}); intents still pending: {pending.Count}");
        // Within the claimant's exclusive time the order is still being reserved: a retry (409), not "no reservation"
        // (404), since its reservation may yet land (AReleaseWhileAOneProductOrderIsStillBeingReservedAsksToRetryTests).
        Assert.Equal("invalid-state", domain.Code);
        Assert.Contains("still being reserved", domain.Message);
    }
}
