using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using static Inventory.Core.Tests.Workflows.StalledClaimant;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Review of the cancel's close (<see cref="AReleaseOfAnOrderWhoseClaimantStalledHoldsNothingAfterTests"/>), 2026-12-03:
/// what answers a cancelled one-product order gets afterwards. Twin cancels delivered together (one closes, the other
/// finds the close) both answer RELEASED, nothing held; a retry of the reservation answers RELEASED whether it commits
/// alone or in a batch with other orders, in the product's partition or a bucket. Passed on arrival: kept as a guard.
/// </summary>
public class ACancelThatClosedAnOrderIsAnsweredAlikeByItsTwinsAndRetriesTests
{
    private const string Closed = "Released P:nothing-held 3/0/0";

    [Theory]
    [InlineData(StalledIn.Product)]
    [InlineData(StalledIn.Bucket)]
    [InlineData(StalledIn.BucketNotMadeYet)]
    public async Task Twin_cancels_delivered_together_answer_alike(StalledIn where)
    {
        var s = await StartAsync(where);
        var cancel = new ReservationChangeCommand(OrderId, Reference: "cancel-1");

        var twins = await Task.WhenAll(
            Task.Run(() => Answer(() => s.Instance(2).Release.ExecuteAsync(cancel))),
            Task.Run(() => Answer(() => s.Instance(3).Release.ExecuteAsync(cancel))));

        Assert.Equal([Closed, Closed], twins);
        Assert.Equal("Released 3/0/0", await s.ClaimantAnswerAsync());
        Assert.Equal(Closed, await Answer(() => s.Instance(4).Release.ExecuteAsync(cancel)));
        await s.AssertReleasedHoldingNothingAsync();
    }

    [Theory]
    [InlineData(StalledIn.Product, true)]
    [InlineData(StalledIn.Product, false)]
    [InlineData(StalledIn.Bucket, true)]
    [InlineData(StalledIn.BucketNotMadeYet, false)]
    public async Task A_retry_of_the_reservation_answers_released_alone_or_in_a_batch(StalledIn where, bool coalesce)
    {
        var s = await StartAsync(where);
        Assert.Equal(Closed, await Answer(() => s.Instance(2).Release.ExecuteAsync(new ReservationChangeCommand(OrderId, Reference: "cancel-1"))));

        // The retry with other orders of P on one instance (one batch when coalescing), the claimant still held.
        var app = s.Instance(1, new ConcurrencyOptions { Coalesce = coalesce });
        var others = Enumerable.Range(2, 4).Select(i => Task.Run(() => app.Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(EscrowWorld.Product, 1)])))).ToArray();
        var retry = Task.Run(() => Answer(async () => (await app.Reserve.ExecuteAsync(s.Order)).Reservation));
        await Task.WhenAll(others);

        Assert.Equal("Released 3/0/0", await retry);
        Assert.Equal("Released 3/0/0", await s.ClaimantAnswerAsync());
        Assert.Equal("Released 3/0/0", await Answer(async () => (await s.Instance(3).Reserve.ExecuteAsync(s.Order)).Reservation));
        await s.AssertReleasedHoldingNothingAsync();
    }
}
