using Inventory.Storage;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

public class OrderReservationTests : IAsyncLifetime
{
    private readonly InMemoryDocumentStore store = new();
    private StockScenario s = null!;

    public async Task InitializeAsync()
    {
        s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "PICK-1", LocationType.PickFace);
        await s.LocationAsync("W1", "BULK-1");
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await s.StockAsync("A", "PICK-1", 3);
        await s.StockAsync("A", "BULK-1", 10);
        await s.StockAsync("B", "BULK-1", 2);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Lines_of_one_product_are_combined_and_split_over_locations()
    {
        var result = await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2), new("A", 3)]));
        Assert.True(result.Created);
        var line = Assert.Single(result.Reservation.Lines);
        Assert.Equal((5L, 5L), (line.Requested, line.Reserved));
        Assert.Equal([("PICK-1", 3L), ("BULK-1", 2L)], line.Allocations.Select(a => (a.LocationId, a.Quantity)));
        Assert.Equal(5, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_replay_returns_the_same_reservation_with_no_second_effect()
    {
        var command = new ReserveCommand("O1", [new("A", 4), new("B", 1)]);
        var first = await s.App.Reserve.ExecuteAsync(command);
        // The replay only enlists and delists the saga in the open-saga index (and tries the claim, which fails): no product
        // and no header is written.
        var written = new List<(Collection, string)>();
        store.BeforeCommit = (collection, partition, _) => written.Add((collection, partition));
        var again = await s.App.Reserve.ExecuteAsync(command);
        store.BeforeCommit = null;
        Assert.False(again.Created);
        Assert.Equal(first.Reservation with { Lines = [] }, again.Reservation with { Lines = [] });
        Assert.Equal(first.Reservation.Lines.Select(l => l.Reserved), again.Reservation.Lines.Select(l => l.Reserved));
        Assert.Equal([(Collection.Orders, OrderHeaders.OpenPartition("O1")), (Collection.Orders, OrderHeaders.HeaderPartition("O1")), (Collection.Orders, OrderHeaders.OpenPartition("O1"))], written);
        Assert.Equal(OrderSagaState.Reserved, (await s.App.Orders.GetAsync("O1", default)).State);
        Assert.Equal(4, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
    }

    [Fact]
    public async Task The_same_order_id_with_other_lines_is_refused()
    {
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4)]));
        await Assert.ThrowsAsync<OrderConflictException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 5)])));
        await Assert.ThrowsAsync<OrderConflictException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("B", 1)])));
        Assert.Equal(4, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("B")).QuantityReserved);
    }

    [Fact]
    public async Task All_or_nothing_releases_earlier_products_when_a_later_one_is_short()
    {
        var e = await Assert.ThrowsAsync<InsufficientStockException>(() =>
            s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4), new("B", 3)])));
        Assert.Equal([("A", 4L, 13L), ("B", 3L, 2L)], e.Lines.Select(l => (l.ProductId, l.Requested, l.Available)));
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(OrderReservationStatus.Rejected, (await s.App.Orders.ViewAsync("O1", default)).Status);
        await s.AssertBooksBalanceAsync("A");

        // The rejection is recorded: a replay gets the same answer even after stock arrives.
        await s.StockAsync("B", "BULK-1", 10);
        await Assert.ThrowsAsync<InsufficientStockException>(() =>
            s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4), new("B", 3)])));
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("B")).QuantityReserved);
    }

    [Fact]
    public async Task Partial_policy_reserves_what_each_product_has()
    {
        var result = await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4), new("B", 3)], Policy: ReservationPolicy.Partial));
        Assert.Equal(OrderReservationStatus.PartiallyReserved, result.Reservation.Status);
        Assert.Equal([4L, 2L], result.Reservation.Lines.Select(l => l.Reserved));
    }

    [Fact]
    public async Task Fulfil_then_release_close_the_order_and_the_books_balance()
    {
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 5), new("B", 2)]));
        var shipped = await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 2)]));
        Assert.Equal(2, shipped.Lines.Single(l => l.ProductId == "A").Shipped);
        await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 2)])); // retried: same derived reference
        var released = await s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1"));
        Assert.Equal(OrderReservationStatus.Fulfilled, released.Status);
        var a = await s.App.Stock.GetStockAsync("A");
        Assert.Equal((11L, 0L), (a.QuantityOnHand, a.QuantityReserved));
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }

    [Fact]
    public async Task Unknown_products_and_warehouses_are_refused_before_anything_is_written()
    {
        var commits = store.Commits;
        await Assert.ThrowsAsync<ProductNotFoundException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O9", [new("A", 1), new("NOPE", 1)])));
        await Assert.ThrowsAsync<WarehouseNotFoundException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O9", [new("A", 1)], "W9")));
        Assert.Equal(commits, store.Commits);
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => s.App.Orders.ViewAsync("O9", default));
    }

    [Fact]
    public async Task An_inactive_product_is_refused_before_anything_is_written()
    {
        await s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "OLD", Sku = "SKU-OLD", Name = "old", IsActive = false });
        var commits = store.Commits;
        await Assert.ThrowsAsync<InvalidStateException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O7", [new("A", 1), new("OLD", 1)])));
        Assert.Equal(commits, store.Commits);
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => s.App.Orders.ViewAsync("O7", default));
    }
}
