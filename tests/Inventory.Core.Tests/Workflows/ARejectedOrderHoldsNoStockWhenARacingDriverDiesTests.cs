using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review: the "Known limit" of docs/architecture.md (Reserve saga and one-product orders). Two drivers of one
/// order's reserve saga run at once; driver Y records a refusal, compensates every product and ends the order REJECTED,
/// while driver X, which read product B before Y's compensation pass reached it, commits its reservation of B after that
/// pass and dies before it looks at the header again. B then stays reserved for a REJECTED order for ever: the saga is
/// delisted, so <see cref="RecoverOrders"/> never sees it, and no sweep releases it.
/// The write that lets it happen: <c>ReserveStock.CompensateAsync</c> decides <c>null</c> (writes nothing) for a product
/// holding no reservation of the order, so it leaves nothing in B's partition that fences X's later commit (X's commit
/// replaces B's head under the ETag it read, which Y never changed, and <c>ProductStock.Reserve</c> finds no record of
/// the order there). A compensation that records a closed reservation (<c>rsc|{orderId}</c>, rolled back) in every
/// product of the order, replacing the head, makes X's commit conflict and X's re-read find the closed record.
/// </summary>
public class ARejectedOrderHoldsNoStockWhenARacingDriverDiesTests
{
    private const string OrderId = "O-race";

    /// <summary>
    /// Driver X's process: its first commit in product B waits until the test lets it go; right after that commit lands
    /// the process dies (every later call fails, so it never reads the header again).
    /// </summary>
    private sealed class DriverX(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource atB = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource go = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool dead;
        public volatile bool Armed;

        public Task AtB => atB.Task.WaitAsync(TimeSpan.FromSeconds(30));
        public void Go() => go.TrySetResult();

        private void ThrowIfDead()
        {
            if (dead) throw new StoreUnavailableException("test", "Driver X's process is dead (test).");
        }

        public override Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            ThrowIfDead();
            return base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            ThrowIfDead();
            if (Armed && collection == Collection.Products && partition == "B")
            {
                Armed = false;
                atB.TrySetResult();
                await go.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
                await base.CommitAsync(collection, partition, writes, cancellationToken);
                dead = true; // died right after its reservation of B landed
                throw new StoreUnavailableException("test", "Driver X died after reserving B (test).");
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }

        public override Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default)
        {
            ThrowIfDead();
            return base.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
        }
    }

    [Fact]
    public async Task A_product_reserved_after_the_other_drivers_compensation_pass_is_not_left_held_for_the_rejected_order()
    {
        var memory = new InMemoryDocumentStore();
        var x = new DriverX(memory);
        var s = await StockScenario.TwoProductsAsync(memory, a: 10, b: 10);
        var order = new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]);

        // X: the request. It claims the order, reserves A, reads B (active, 10 available) and is held at its commit in B.
        x.Armed = true;
        var driverX = Task.Run(() => new InventoryApplication(x).Reserve.ExecuteAsync(order));
        await x.AtB;

        // Meanwhile B is deactivated, and Y (a replay of the same request on another instance) drives the saga: B refuses
        // it (inactive), so Y records the refusal, gives A back, passes B (nothing held there yet), ends REJECTED, delists.
        var y = new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } };
        await RefuseWhileBIsInactiveAsync(y, order);

        // X's commit in B goes ahead, then X dies before it reads the header again.
        x.Go();
        await Assert.ThrowsAnyAsync<Exception>(() => driverX);

        // Recovery runs, as the timer would.
        await y.RecoverOrders.ExecuteAsync();

        var after = new InventoryApplication(memory);
        Assert.Equal(OrderSagaState.Rejected, (await after.Orders.GetAsync(OrderId, default)).State);
        Assert.Equal(OrderReservationStatus.Rejected, (await after.Orders.ViewAsync(OrderId, default)).Status);
        Assert.Equal(0, (await after.Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(0, (await after.Stock.GetStockAsync("B")).QuantityReserved); // before the fix: 3, held for a REJECTED order
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }
    [Fact]
    public async Task A_one_product_order_refused_by_one_driver_is_not_left_reserved_by_the_other()
    {
        // The same race on an order of one product (docs: "One-product orders", known limit): Y's refusal goes straight
        // to REJECTED on the header and its compensation pass writes nothing in B; X's commit lands after it.
        var noWait = new OrderOptions { RecoverAfterSeconds = 0, ClaimExclusiveMilliseconds = 0 };
        var memory = new InMemoryDocumentStore();
        var x = new DriverX(memory);
        var s = await StockScenario.TwoProductsAsync(memory, a: 10, b: 10);
        var order = new ReserveCommand(OrderId, [new("B", 3)]);

        x.Armed = true;
        var driverX = Task.Run(() => new InventoryApplication(x) { OrderOptions = noWait }.Reserve.ExecuteAsync(order));
        await x.AtB; // claimed, B read (active, 10 available), held at its commit

        var y = new InventoryApplication(memory) { OrderOptions = noWait };
        await RefuseWhileBIsInactiveAsync(y, order);

        x.Go();
        await Assert.ThrowsAnyAsync<Exception>(() => driverX);
        await y.RecoverOrders.ExecuteAsync();
        await y.ExpireHolds.ExecuteAsync();

        var after = new InventoryApplication(memory) { OrderOptions = noWait };
        Assert.Equal(OrderReservationStatus.Rejected, (await after.Orders.ViewAsync(OrderId, default)).Status);
        Assert.Equal(0, (await after.Stock.GetStockAsync("B")).QuantityReserved); // before the fix: 3, held for a REJECTED order
        await s.AssertBooksBalanceAsync("B");
    }

    /// <summary>Driver Y: B is deactivated, Y's drive of the order is refused by it and ends REJECTED, then B is active again.</summary>
    private static async Task RefuseWhileBIsInactiveAsync(InventoryApplication y, ReserveCommand order)
    {
        await y.SaveProduct.ExecuteAsync(new Product { ProductId = "B", Sku = "SKU-B", Name = "Product B", IsActive = false });
        await Assert.ThrowsAsync<InvalidStateException>(() => y.Reserve.ExecuteAsync(order));
        Assert.Equal(OrderSagaState.Rejected, (await y.Orders.GetAsync(OrderId, default)).State);
        await y.SaveProduct.ExecuteAsync(new Product { ProductId = "B", Sku = "SKU-B", Name = "Product B", IsActive = true });
    }
}
