using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Review (r1). Recovery removes a <c>reserve|{orderId}</c> entry it finds with no header ("died before the claim"); a
/// driver slow to claim is not dead, so since today it writes its entry again once claimed. That second write is the only
/// thing that puts the order back in the index, and it comes after the claim: a driver whose process dies right after
/// its claim landed (a crash the crash matrix injects at every write) leaves a header PENDING with no open-saga entry.
/// <see cref="RecoverOrders"/> never sees the saga again: the order stays PENDING for good (every change of it refused as
/// "still being reserved"), while docs/architecture.md (step 3 of the reserve saga) promises that from the claim the saga
/// runs to its end whatever the caller does.
/// </summary>
public class AReserveSagaDyingJustAfterItsClaimWhoseEntryRecoveryClearedIsStillFinishedTests
{
    private const string OrderId = "O-1";

    /// <summary>
    /// Runs <see cref="AtClaim"/> just before the header claim first reaches the store, then kills the driver at its first
    /// write after its header landed (created, or written in place of whatever the claim found there).
    /// </summary>
    private sealed class Steered(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Task>? AtClaim { get; set; }
        private bool claimed;

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (claimed)
            {
                claimed = false;
                throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition); // claimed: the process dies before its next write
            }
            var claim = collection == Collection.Orders && partition == OrderHeaders.HeaderPartition(OrderId) && writes.Any(w => w.Id == OrderId);
            if (claim && AtClaim is { } atClaim)
            {
                AtClaim = null;
                await atClaim();
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            claimed = claim;
        }
    }

    [Fact]
    public async Task An_order_whose_driver_dies_right_after_a_claim_that_raced_recovery_is_still_finished_by_recovery()
    {
        var memory = new InMemoryDocumentStore();
        var store = new Steered(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        var recovery = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };

        // The driver has enlisted; its claim is on its way when the sweep finds the entry due and no header yet; the driver
        // claims, then dies.
        store.AtClaim = async () => await recovery.RecoverOrders.ExecuteAsync();
        await Assert.ThrowsAsync<StoreFaultException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)])));

        // The caller gives up; the sweep runs again, later, on a fresh instance.
        var later = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await later.RecoverOrders.ExecuteAsync();

        var header = await later.Orders.GetAsync(OrderId, default);
        Assert.True(header.IsTerminal, $"{OrderId} is still {header.State} after recovery: its saga is no longer enlisted");
    }
}
