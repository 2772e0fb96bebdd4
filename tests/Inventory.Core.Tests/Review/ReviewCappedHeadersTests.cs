using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Review;

/// <summary>Review of 35e82a3 (order headers in their order's own partition on a store capping a partition's size).</summary>
public class ReviewCappedHeadersTests
{
    /// <summary>
    /// A capped store (Cosmos DB) whose commit honours the caller's token as the SDK does: a commit sent as the caller
    /// leaves lands, and its caller hears OperationCanceledException instead of the acknowledgement.
    /// </summary>
    private sealed class CappedCancellingStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        public override StoreLimits Limits => base.Limits with { MaxPartitionBytes = 20L * 1024 * 1024 * 1024 };

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            await base.CommitAsync(collection, partition, writes, ct);
            ct.ThrowIfCancellationRequested(); // landed; the response is dropped with the caller
        }
    }

    // R3. The claim buckets' group commit takes a claim out of its caller's token once it is in a commit (ClaimBatches:
    //     "from then on the caller's cancellation no longer applies"), and ReserveStock drives the saga with
    //     CancellationToken.None from the claim on ("Claimed: from here the saga is finished whatever the caller does";
    //     ReserveSagaTests.The_caller_going_away_after_the_claim_does_not_stop_the_saga_half_way). On a capped store the
    //     claim is a commit under the request's token: a client leaving as it is sent leaves a header claimed and the
    //     saga not driven (a one-product order pending with its claim not ended, so its retry waits out the claim).
    [Fact]
    public async Task The_caller_going_away_at_the_claim_on_a_capped_store_does_not_stop_the_saga_half_way()
    {
        var memory = new InMemoryDocumentStore();
        var store = new CappedCancellingStore(memory);
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await s.StockAsync("A", "L1", 10);
        await s.StockAsync("B", "L1", 10);

        using var caller = new CancellationTokenSource();
        memory.BeforeCommit = (collection, partition, writes) =>
        {
            if (collection == Collection.Orders && partition == "O-1" && writes.Any(w => w is DocumentWrite.Create { Id: "order" })) caller.Cancel();
        };
        ReserveResult? result = null;
        Exception? error = null;
        try { result = await s.App.Reserve.ExecuteAsync(new ReserveCommand("O-1", [new("A", 4), new("B", 2)]), caller.Token); }
        catch (Exception e) { error = e; }
        memory.BeforeCommit = null;

        Assert.True(caller.IsCancellationRequested);
        Assert.True(error is null, $"the caller heard {error?.GetType().Name} after the header was claimed; order state: "
            + (await s.App.Orders.FindAsync("O-1", default))?.State);
        Assert.Equal(OrderReservationStatus.Reserved, result!.Reservation.Status);
    }
}
