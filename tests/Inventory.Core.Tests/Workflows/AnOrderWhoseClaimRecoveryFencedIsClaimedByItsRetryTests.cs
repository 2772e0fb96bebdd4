using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Recovery fences the header's place of an order whose <c>reserve</c> entry it finds with no header, before removing the
/// entry (docs/architecture.md, reserve saga, step 3). The fence is no order to any reader, and it holds back no later
/// claim of the id: a retry of the order (or a reuse of its id) replaces it and runs to its end.
/// </summary>
public class AnOrderWhoseClaimRecoveryFencedIsClaimedByItsRetryTests
{
    private const string OrderId = "O-1";

    /// <summary>Kills the driver as its header claim reaches the store (before it is applied).</summary>
    private sealed class DyingAtClaim(IDocumentStore inner) : DelegatingStore(inner)
    {
        public bool Armed { get; set; } = true;

        public override Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (Armed && collection == Collection.Orders && partition == OrderHeaders.HeaderPartition(OrderId) && writes.Any(w => w.Id == OrderId))
            {
                Armed = false;
                throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition);
            }
            return base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    private static async Task<(StockScenario S, InventoryApplication Later)> FencedAsync(InMemoryDocumentStore memory)
    {
        var s = await StockScenario.TwoProductsAsync(new DyingAtClaim(memory));
        await Assert.ThrowsAsync<StoreFaultException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)])));
        var later = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await later.RecoverOrders.ExecuteAsync();
        Assert.True((await memory.ReadAsync(Collection.Orders, OrderHeaders.HeaderPartition(OrderId), [OrderId], [])).Count == 1, "recovery fenced the claim");
        return (s, later);
    }

    [Fact]
    public async Task The_fence_is_no_order_and_the_retry_reserves_the_order()
    {
        var memory = new InMemoryDocumentStore();
        var (s, later) = await FencedAsync(memory);

        Assert.Null(await later.Orders.FindAsync(OrderId, default));
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => later.Orders.ViewAsync(OrderId, default));
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => later.Release.ExecuteAsync(new ReservationChangeCommand(OrderId)));

        var retry = await later.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]));
        Assert.True(retry.Created);
        Assert.Equal(OrderReservationStatus.Reserved, retry.Reservation.Status);
        Assert.Equal(OrderSagaState.Reserved, (await later.Orders.GetAsync(OrderId, default)).State);
        await foreach (var open in later.Orders.OpenSagasAsync(default)) Assert.Fail($"saga {open.Kind} of {open.OrderId} still open");
        Assert.Equal(2, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(3, (await s.App.Stock.GetStockAsync("B")).QuantityReserved);
    }

    [Fact]
    public async Task A_reuse_of_the_id_for_one_product_is_claimed_over_the_fence()
    {
        var memory = new InMemoryDocumentStore();
        var (s, later) = await FencedAsync(memory);

        var reuse = await later.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 4)]));
        Assert.True(reuse.Created);
        Assert.Equal(OrderReservationStatus.Reserved, reuse.Reservation.Status);
        Assert.True((await later.Orders.GetAsync(OrderId, default)).DecidedByProduct);
        Assert.Equal(4, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
    }
}
