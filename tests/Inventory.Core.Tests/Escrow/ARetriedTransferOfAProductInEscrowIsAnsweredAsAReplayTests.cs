using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// "Never apply a retried request twice", and a retry is answered as the request it repeats (docs/http-api.md,
/// idempotency). Found in review of 8909643/ec9c814: a transfer of a product in escrow short in the product's partition
/// (<c>TransferStock.ExecuteAsync</c>, the catch of <c>InsufficientStockException</c>) checks the stock view before
/// gathering, and rethrows the refusal when the source has too little available "even with the buckets". It never
/// asks whether the transfer itself was applied meanwhile (the adjustment does: <c>Movement.AnsweredWithoutTheBucketsAsync</c>).
/// A client that retries a slow transfer: the retry is decided short on the partition while the first is gathering, the
/// first then applies (L1 goes from 99 available to 19), and the retry's pre-check sees 19 &lt; 80 and answers 409
/// insufficient-stock, though the transfer it repeats was applied: the client is told its transfer failed. A fix: in the
/// catch, answer a recorded transfer as a replay (run it again, or check the record first) before the view's pre-check.
/// </summary>
public class ARetriedTransferOfAProductInEscrowIsAnsweredAsAReplayTests
{
    [Fact]
    public async Task A_retry_decided_short_while_the_first_was_gathering_is_answered_as_its_replay()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var first = world.Instance(1);
        await first.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 1)])); // bucket 1: granted 25, 24 free
        var stall = new SecondProductReadStall(world.Store, EscrowWorld.Product);
        var retrying = EscrowWorld.Over(stall, 1);
        var command = new TransferCommand(EscrowWorld.Product, "L1", "L2", 80, "move-1");

        // The retry is decided short on the partition (75 available there), then held before its pre-check.
        var retry = Task.Run(() => retrying.Transfer.ExecuteAsync(command));
        await stall.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // The first request gathers and applies.
        var applied = await first.Transfer.ExecuteAsync(command);
        Assert.False(applied.Replayed);
        stall.Release.SetResult();

        var refusal = await Record.ExceptionAsync(() => retry);
        Assert.True(refusal is null, $"the retry of the applied transfer 'move-1' was answered {refusal?.GetType().Name}: {refusal?.Message}");
        Assert.Equal(20, (await first.Stock.GetStockAsync(EscrowWorld.Product)).Locations.Single(l => l.LocationId == "L1").QuantityOnHand);
    }

    /// <summary>Holds this instance's second read of the product's partition (after its first decision) until released.</summary>
    private sealed class SecondProductReadStall(IDocumentStore inner, string partition) : DelegatingStore(inner)
    {
        public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int reads;

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string p, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Products && p == partition && Interlocked.Increment(ref reads) == 2)
            {
                Stalled.SetResult();
                await Release.Task;
            }
            return await base.ReadAsync(collection, p, ids, idPrefixes, cancellationToken);
        }
    }
}
