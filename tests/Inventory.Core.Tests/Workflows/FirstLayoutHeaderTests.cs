using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// A store written by builds before the claim buckets keeps its headers in the first layout (partition = order id, id
/// <c>order</c>). Those orders must still be found, replayed, changed, and their ids refused for other lines; a store
/// that never had one must not pay a second read for it.
/// </summary>
public class FirstLayoutHeaderTests
{
    /// <summary>Moves an order's header where a build before the buckets wrote it.</summary>
    private static async Task ToFirstLayoutAsync(InMemoryDocumentStore store, string orderId)
    {
        var bucket = OrderHeaders.HeaderPartition(orderId);
        var header = Assert.Single(await store.ReadAsync(Collection.Orders, bucket, [orderId], []));
        await store.CommitAsync(Collection.Orders, orderId, [new DocumentWrite.Create("order", header.Body) { Type = "order" }]);
        await store.CommitAsync(Collection.Orders, bucket, [new DocumentWrite.Delete(orderId, header.ETag)]);
    }

    [Fact]
    public async Task Orders_of_the_first_layout_are_found_replayed_changed_and_their_ids_refused_for_other_lines()
    {
        var store = new InMemoryDocumentStore();
        var before = await StockScenario.TwoProductsAsync(store);
        await EarlierLayoutOrders.ReserveAsync(before.App);
        await ToFirstLayoutAsync(store, "O-LONE");
        await ToFirstLayoutAsync(store, "O-SAGA");
        var app = new InventoryApplication(store); // an instance of this build, started on that store

        await EarlierLayoutOrders.AssertFoundReplayedRefusedAndReleasedAsync(app);
        Assert.Empty(await store.ReadAsync(Collection.Orders, OrderHeaders.HeaderPartition("O-LONE"), ["O-LONE"], []));
        Assert.Empty(await store.ReadAsync(Collection.Orders, OrderHeaders.HeaderPartition("O-SAGA"), ["O-SAGA"], []));
        await before.AssertBooksBalanceAsync("A");
        await before.AssertBooksBalanceAsync("B");
    }

    [Fact]
    public async Task The_start_up_step_records_what_it_found_so_later_instances_read_one_marker()
    {
        var store = new InMemoryDocumentStore();
        var before = await StockScenario.TwoProductsAsync(store);
        await before.App.Reserve.ExecuteAsync(new ReserveCommand("O-OLD", [new("A", 1)]));
        await ToFirstLayoutAsync(store, "O-OLD");

        await new InventoryApplication(store).Orders.RecordLayoutAsync(default);
        var old = Assert.Single(await store.ReadAsync(Collection.Orders, "O-OLD", ["order"], []));
        await store.CommitAsync(Collection.Orders, "O-OLD", [new DocumentWrite.Delete("order", old.ETag)]); // the marker, not a listing, answers now
        var later = new InventoryApplication(store);
        var written = 0;
        store.AfterCommit = (_, _, _) => written++;
        await later.Orders.RecordLayoutAsync(default); // a second start: the marker is there

        await Assert.ThrowsAsync<ReservationNotFoundException>(() => later.Orders.GetAsync("O-OLD", default));
        Assert.Equal(0, written);
        var reads = store.Reads;
        Assert.Null(await later.Orders.FindAsync("O-NEW", default));
        Assert.Equal(2, store.Reads - reads); // the bucket, then the first layout: this store has headers there
    }

    [Fact]
    public async Task A_store_that_never_had_the_first_layout_reads_only_the_claim_bucket()
    {
        var store = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Orders.RecordLayoutAsync(default);
        var app = new InventoryApplication(store);
        await app.Orders.FindAsync("warm-up", default); // the instance's one look at the marker

        var reads = store.Reads;
        Assert.Null(await app.Orders.FindAsync("O-NEW", default));
        Assert.Equal(1, store.Reads - reads);
        reads = store.Reads;
        await app.Reserve.ExecuteAsync(new ReserveCommand("O-NEW", [new("A", 1)]));
        Assert.Equal(1, store.Reads - reads); // the product's partition; no look for a header of the first layout
    }

    /// <summary>Found in review: a header in a claim bucket is named by its order id, and "order" is a valid one.</summary>
    [Fact]
    public async Task An_order_whose_id_is_order_does_not_make_the_store_look_like_it_holds_first_layout_headers()
    {
        var store = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("order", [new("A", 1)]));
        await new InventoryApplication(store).Orders.RecordLayoutAsync(default); // the start-up step of the next start
        var app = new InventoryApplication(store);
        await app.Orders.FindAsync("warm-up", default);

        var reads = store.Reads;
        Assert.Null(await app.Orders.FindAsync("O-NEW", default));
        Assert.Equal(1, store.Reads - reads); // not 2: the bucket, then a first layout that never existed
        Assert.Equal(OrderReservationStatus.Reserved, (await app.Orders.ViewAsync("order", default)).Status);
    }
}
