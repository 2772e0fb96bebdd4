using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (2026-12-03), after <see cref="ACancelOfAnOrderRefusedOnItsHeaderAnswersRejectedHoldingNothingTests"/>:
/// a one-product order refused on its header (its change too large for one transaction: in an escrow bucket, the bucket's
/// making) whose bucket is not made holds nothing, as its compensation finds. A cancel of it was 404
/// <c>reservation-not-found</c>, where the same cancel of an order refused in its product's partition is 200
/// <c>REJECTED</c>, the line <c>nothing-held</c>. Both answer the latter, and a replay the same; the bucket is not made.
/// </summary>
public class ACancelOfAnOrderRefusedInABucketNotMadeAnswersAsInItsProductTests
{
    private const string OrderId = "O1";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_cancel_answers_rejected_nothing_held(bool inEscrow)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var clock = new ManualClock(Now);
        var where = inEscrow ? EscrowWorld.Bucket(1).Partition : EscrowWorld.Product;
        InventoryApplication Over(IDocumentStore store, int bucket) => inEscrow ? EscrowWorld.Over(store, bucket, clock) : new InventoryApplication(store, clock);

        await Assert.ThrowsAsync<TransactionTooLargeException>(() =>
            Over(new FirstCommitTooLarge(world.Memory, where), 1).Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new(EscrowWorld.Product, 3)])));
        Assert.Equal(OrderSagaState.Rejected, (await Over(world.Memory, 2).Orders.FindAsync(OrderId, default))?.State);
        clock.Advance(TimeSpan.FromSeconds(10));

        var cancel = new ReservationChangeCommand(OrderId, Reference: "cancel-1");
        var answer = await StalledClaimant.Answer(() => Over(world.Memory, 2).Release.ExecuteAsync(cancel));

        Assert.Equal("Rejected P:nothing-held 3/0/0", answer);
        Assert.Equal(answer, await StalledClaimant.Answer(() => Over(world.Memory, 3).Release.ExecuteAsync(cancel)));
        Assert.Equal(0, (await Over(world.Memory, 2).Stock.GetStockAsync(EscrowWorld.Product)).QuantityReserved);
        Assert.Equal(OrderReservationStatus.Rejected, (await Over(world.Memory, 2).Orders.ViewAsync(OrderId, default)).Status);
        if (inEscrow) Assert.Equal((0L, 0L), await world.StockOfAsync(where)); // not made
        await new StockScenario(Over(world.Memory, 2)).AssertBooksBalanceAsync(EscrowWorld.Product);
    }

    /// <summary>The first commit in <paramref name="partition"/> of Products is too large for one transaction.</summary>
    private sealed class FirstCommitTooLarge(IDocumentStore inner, string partition) : DelegatingStore(inner)
    {
        private int commits;

        public override Task CommitAsync(Collection collection, string partition1, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            collection == Collection.Products && partition1 == partition && Interlocked.Increment(ref commits) == 1
                ? throw new TransactionTooLargeException($"Commit in '{partition1}' is too large.")
                : base.CommitAsync(collection, partition1, writes, cancellationToken);
    }
}
