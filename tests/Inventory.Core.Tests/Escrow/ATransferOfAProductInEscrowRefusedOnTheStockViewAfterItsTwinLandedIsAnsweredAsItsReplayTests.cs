using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found by the fault-injection mix run four at a time with jitter (<see cref="Workflows.FaultInjectionModelTests"/>, seed
/// 100, <c>INVENTORY_FAULT_JITTER=50</c>): <c>transfer M1 M-PICK-&gt;M-BULK2 3</c> (M1 in escrow) answered ok, and the same
/// request delivered again refused insufficient-stock ("available 0"). A transfer short in the product's partition looks
/// whether it was recorded meanwhile (<see cref="ARetriedTransferOfAProductInEscrowIsAnsweredAsAReplayTests"/>), then reads
/// the stock view to see whether the buckets' free units would do; a twin landing between the two leaves the view short,
/// and that refusal was answered, decided on a state the reference's own record had passed.
/// </summary>
public class ATransferOfAProductInEscrowRefusedOnTheStockViewAfterItsTwinLandedIsAnsweredAsItsReplayTests
{
    /// <summary>
    /// Runs <see cref="BeforeView"/> once, before the first read of the product's stock view: its document with the ledger
    /// document of the sequence after its state, nothing else (the state is read from its newest ledger document just before).
    /// </summary>
    private sealed class AtTheView(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Task>? BeforeView { get; set; }

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Products && partition == EscrowWorld.Product && idPrefixes.Count == 0
                && ids.Count == 2 && ids.Contains("product") && ids.Any(i => i.StartsWith("led|", StringComparison.Ordinal)) && BeforeView is { } before)
            {
                BeforeView = null;
                await before();
            }
            return await base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_twin_landing_between_the_record_check_and_the_view_is_the_answer()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var first = world.Instance(1);
        await first.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 1)])); // bucket 1: granted 25, 24 free
        var store = new AtTheView(world.Store);
        var twin = EscrowWorld.Over(store, 1);
        var command = new TransferCommand(EscrowWorld.Product, "L1", "L2", 80, "move-1");

        // The twin is decided short on the partition (75 available there) and finds no record of move-1; before it reads
        // the view, the first delivery gathers the buckets' free units and applies (19 left available at L1).
        MovementResult? applied = null;
        store.BeforeView = async () => applied = await first.Transfer.ExecuteAsync(command);
        var refusal = await Record.ExceptionAsync(async () =>
        {
            var replayed = await twin.Transfer.ExecuteAsync(command);
            Assert.True(replayed.Replayed);
            Assert.Equal(applied!.Operation.TxnIds, replayed.Operation.TxnIds);
        });

        Assert.NotNull(applied);
        Assert.False(applied.Replayed);
        Assert.True(refusal is null, $"the twin of the applied transfer 'move-1' was answered {refusal?.GetType().Name}: {refusal?.Message}");
        Assert.Equal(20, (await first.Stock.GetStockAsync(EscrowWorld.Product)).Locations.Single(l => l.LocationId == "L1").QuantityOnHand); // moved once
        await world.AssertEscrowBalancesAsync();
    }
}
