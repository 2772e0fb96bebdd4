using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found by the fault-injection mix run four requests at a time (seed 14, 2026-12-02): <c>transfer M3 M-OVF-&gt;M-BULK2 2</c>
/// answered ok, and the same request delivered again was refused <c>invalid-state</c> ("no stock at M-OVF"), although the
/// transfer it repeats was applied. Nothing removes an operation record: the second delivery was decided on a state it
/// read before the first landed (and before the overflow location received any stock), while the first was on its way,
/// and its refusal was answered after the first's ok. A refusal writes nothing, so nothing fenced the first out of the
/// second's read: the refusal stood, decided on a state the reference's own record has passed since. The same for an
/// adjustment or a receipt (<c>Movement.RunAsync</c>: the request decided on its own read before the reference claim,
/// nothing of the product queued on its instance). A transfer of a product in escrow short in its partition already
/// answered such a twin as its replay
/// (<see cref="Inventory.Core.Tests.Escrow.ARetriedTransferOfAProductInEscrowIsAnsweredAsAReplayTests"/>).
/// </summary>
public class AMovementRefusedOnAStateItsTwinPassedIsAnsweredAsItsReplayTests
{
    /// <summary>Holds the first read of product A's partition for a decision (it asks for an operation record), once it has read, until released.</summary>
    private sealed class HeldAfterItsRead(IDocumentStore inner) : DelegatingStore(inner)
    {
        public TaskCompletionSource Read { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int reads;

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            var documents = await base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
            if (collection == Collection.Products && partition == "A" && ids.Any(i => i.StartsWith("op|", StringComparison.Ordinal))
                && Interlocked.Increment(ref reads) == 1)
            {
                Read.SetResult();
                await Release.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            return documents;
        }
    }

    private static async Task<(StockScenario First, StockScenario Twin, HeldAfterItsRead Held)> WorldAsync()
    {
        var memory = new InMemoryDocumentStore();
        var first = await StockScenario.TwoProductsAsync(memory); // A: 10 at L1
        await first.LocationAsync("W1", "OVF", LocationType.Overflow); // A holds nothing there yet
        var held = new HeldAfterItsRead(memory);
        return (first, StockScenario.Over(held), held);
    }

    [Fact]
    public async Task A_transfer_delivered_twice_is_answered_as_applied_by_the_delivery_decided_before_its_twin_landed()
    {
        var (first, twin, held) = await WorldAsync();
        var command = new TransferCommand("A", "OVF", "L1", 2, "trf-1");
        var twinAnswer = Task.Run(() => twin.App.Transfer.ExecuteAsync(command));
        await held.Read.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the twin read A: no stock at OVF, no record of trf-1

        await first.App.Adjust.ExecuteAsync(new AdjustCommand("A", "OVF", 5, null, "found", "adj-1"));
        var applied = await first.App.Transfer.ExecuteAsync(command); // the first delivery: applied, answered
        Assert.False(applied.Replayed);
        held.Release.SetResult();

        var refusal = await Record.ExceptionAsync(() => twinAnswer);
        Assert.True(refusal is null, $"the twin of the applied transfer 'trf-1' was answered {refusal?.GetType().Name}: {refusal?.Message}");
        var replayed = await twinAnswer;
        Assert.True(replayed.Replayed);
        Assert.Equal(applied.Operation.TxnIds, replayed.Operation.TxnIds);
        Assert.Equal(3, (await first.App.Stock.GetStockAsync("A")).Locations.Single(l => l.LocationId == "OVF").QuantityOnHand); // moved once
        await first.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task An_adjustment_delivered_twice_is_answered_as_applied_by_the_delivery_decided_before_its_twin_landed()
    {
        var (first, twin, held) = await WorldAsync();
        var command = new AdjustCommand("A", "OVF", -2, null, "damaged", "adj-2");
        var twinAnswer = Task.Run(() => twin.App.Adjust.ExecuteAsync(command));
        await held.Read.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the twin read A: nothing on hand at OVF

        await first.App.Adjust.ExecuteAsync(new AdjustCommand("A", "OVF", 5, null, "found", "adj-1"));
        var applied = await first.App.Adjust.ExecuteAsync(command);
        held.Release.SetResult();

        var refusal = await Record.ExceptionAsync(() => twinAnswer);
        Assert.True(refusal is null, $"the twin of the applied adjustment 'adj-2' was answered {refusal?.GetType().Name}: {refusal?.Message}");
        Assert.Equal(applied.Operation.TxnIds, (await twinAnswer).Operation.TxnIds);
        Assert.Equal(3, (await first.App.Stock.GetStockAsync("A")).Locations.Single(l => l.LocationId == "OVF").QuantityOnHand);
        await first.AssertBooksBalanceAsync("A");
    }
}
