using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found by the fault-injection mix (<see cref="FaultInjectionModelTests"/>, run four at a time: an order of several
/// products PENDING after recovery, with no open-saga entry). Recovery removes a <c>reserve|{orderId}</c> entry whose
/// order has no header ("enlisted, then died before the claim"), deleting the entry as it read it. A driver that enlisted
/// and is slow to claim (its claim still on its way to the store when the entry fell due) is not dead: it claims the
/// header right after recovery looked, nothing changes the entry, so the delete lands. If that driver then reserves a
/// product and dies, nothing leads recovery to the saga: the order stays PENDING with that product reserved (half
/// reserved), for good. <c>ReserveSagaEntryKeptForARetryEnlistedMeanwhileTests</c> covers a retry enlisting meanwhile; the
/// first driver, which does not enlist again, is not covered.
/// </summary>
public class AReserveSagaWhoseEntryRecoveryClearedBeforeItsClaimIsStillRecoveredTests
{
    private const string OrderId = "O-1";

    /// <summary>Runs <see cref="AtClaim"/> just before the order's header claim reaches the store, and kills the driver at its commit to B.</summary>
    private sealed class Steered(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Task>? AtClaim { get; set; }
        public bool DieAtB { get; set; }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Orders && partition == OrderHeaders.HeaderPartition(OrderId) && writes.Any(w => w is DocumentWrite.Create { Id: OrderId })
                && AtClaim is { } atClaim)
            {
                AtClaim = null;
                await atClaim();
            }
            if (DieAtB && collection == Collection.Products && partition == "B")
                throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition); // the driver's process dies after reserving A
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    [Fact]
    public async Task An_order_whose_entry_recovery_removed_while_its_driver_was_claiming_is_still_finished_by_recovery()
    {
        var memory = new InMemoryDocumentStore();
        var store = new Steered(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        var recovery = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };

        // The driver has enlisted; its claim is on its way when the sweep finds the entry due and no header yet.
        store.AtClaim = async () => await recovery.RecoverOrders.ExecuteAsync();
        store.DieAtB = true;
        await Assert.ThrowsAsync<StoreFaultException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)])));
        store.DieAtB = false;

        // The caller gives up; the sweep runs again, later, on a fresh instance.
        var later = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await later.RecoverOrders.ExecuteAsync();

        var view = await later.Orders.ViewAsync(OrderId, default);
        Assert.True(view.Status != OrderReservationStatus.Pending,
            $"{OrderId} is still PENDING after recovery, holding {string.Join(", ", view.Lines.Select(l => $"{l.ProductId}: {l.Remaining}"))}: its saga is no longer enlisted");
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
}
