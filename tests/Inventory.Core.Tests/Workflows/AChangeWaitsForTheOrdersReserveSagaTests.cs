using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review 7: fulfil and release act on an order whatever its reserve saga's state. The hold sweep leaves an order
/// whose saga is open alone ("releasing it then would race the saga"), but <see cref="ChangeReservation"/> does not look at
/// the header's state: a fulfilment of a product the saga has reserved while it is still reserving the others ships it,
/// and when the saga is then refused (all-or-nothing) its compensation cannot give shipped units back: the order is
/// REJECTED (its reserve answers 409 insufficient-stock) with units shipped. A release of the whole order in the same
/// window is answered 404 (a product has no reservation yet) although the order exists, and the saga then reserves
/// everything: the order the caller tried to give back holds stock.
/// </summary>
public class AChangeWaitsForTheOrdersReserveSagaTests
{
    private const string OrderId = "O-1";

    /// <summary>Holds the reserve saga at its commit in product B until the test lets it go.</summary>
    private sealed class HoldAtB(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource atB = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource go = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool Armed;

        public Task AtB => atB.Task.WaitAsync(TimeSpan.FromSeconds(30));
        public void Go() => go.TrySetResult();

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (Armed && collection == Collection.Products && partition == "B")
            {
                Armed = false;
                atB.TrySetResult();
                await go.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_fulfilment_while_the_saga_is_reserving_ships_nothing_of_an_order_that_ends_rejected()
    {
        var memory = new InMemoryDocumentStore();
        var store = new HoldAtB(memory);
        var s = await StockScenario.TwoProductsAsync(store, a: 10, b: 2);
        store.Armed = true;
        var reserve = Task.Run(() => s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]))); // B is short
        await store.AtB; // A reserved, the header PENDING

        var fulfil = await Record.ExceptionAsync(() => new InventoryApplication(memory).Fulfill.ExecuteAsync(new ReservationChangeCommand(OrderId, [new("A")])));
        store.Go();
        await Assert.ThrowsAsync<InsufficientStockException>(() => reserve); // the client is told the order is refused

        Assert.Equal(OrderSagaState.Rejected, (await s.App.Orders.GetAsync(OrderId, default)).State);
        Assert.Equal(10, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand); // today: 8, two units shipped for a rejected order
        Assert.NotNull(fulfil);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_release_of_the_whole_order_while_the_saga_is_reserving_is_not_answered_not_found_and_leaves_nothing_held()
    {
        var memory = new InMemoryDocumentStore();
        var store = new HoldAtB(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        store.Armed = true;
        var reserve = Task.Run(() => s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)])));
        await store.AtB;

        var release = await Record.ExceptionAsync(() => new InventoryApplication(memory).Release.ExecuteAsync(new ReservationChangeCommand(OrderId)));
        store.Go();
        await reserve;

        Assert.IsNotType<ReservationNotFoundException>(release); // the order exists: its saga is in flight
        if (release is null) // released: the order holds nothing once its saga has ended
        {
            Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
            Assert.Equal(0, (await s.App.Stock.GetStockAsync("B")).QuantityReserved);
        }
    }
}
