using Inventory.Application;
using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Issue 17, the audit's last growing cost: closed reservations (fulfilled, released, rejected) live under <c>rsc|</c>,
/// active ones under <c>res|</c>, so the quick audit reads the open ones only, while a replay of a closed order still
/// finds it by id, the list still shows it, and reservations written before the split are still read.
/// </summary>
public sealed class OpenReservationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    private sealed record World(StockScenario Scenario, InMemoryDocumentStore Store, CountingStore Counting, ManualClock Clock)
    {
        public InventoryApplication App => Scenario.App;
    }

    private static async Task<World> WorldAsync(params string[] products)
    {
        var store = new InMemoryDocumentStore();
        var counting = new CountingStore(store);
        var clock = new ManualClock(Start);
        var s = new StockScenario(new InventoryApplication(counting, clock));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        foreach (var p in products)
        {
            await s.ProductAsync(p);
            await s.StockAsync(p, "L1", 10_000);
        }
        return new World(s, store, counting, clock);
    }

    /// <summary>
    /// Where the product's reservations are stored: the ids of their documents, open (<c>res|</c>) and closed
    /// (<c>rsc|</c>), and <c>pack|{orderId}</c> for each open one in a reservation pack (<c>rsb|</c>).
    /// </summary>
    private static async Task<string[]> ReservationIdsAsync(World w, string productId) =>
        (await w.Store.ReadAsync(Collection.Products, productId, [], ["res|", "rsb|", "rsc|"]))
            .SelectMany(d => d.Id.StartsWith("rsb|", StringComparison.Ordinal) ? ReservationWrites.Packed(d.Body).Select(r => "pack|" + r.OrderId) : [d.Id])
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>Records a rejected reservation of <paramref name="productId"/> for <paramref name="orderId"/> (asking more than there is).</summary>
    private static Task<ProductReservation> RejectAsync(World w, string productId, string orderId) =>
        w.App.Committer.RunAsync(productId, StockRead.ForOrder(orderId), s => s.Reserve(
            new ReserveRequest(orderId, 1_000_000, null, ReservationPolicy.AllOrNothing, null, "t"), AllocationOptions.Default, w.Clock.GetUtcNow()), default);

    /// <summary>Puts a closed reservation back where it was stored before the split (<c>res|</c>), as data written then.</summary>
    private static async Task ToOldLayoutAsync(World w, string productId, string orderId)
    {
        var closed = (await w.Store.ReadAsync(Collection.Products, productId, ["rsc|" + orderId], [])).Single();
        await w.Store.CommitAsync(Collection.Products, productId,
            [new DocumentWrite.Delete(closed.Id, closed.ETag), new DocumentWrite.Create("res|" + orderId, closed.Body) { Type = "reservation" }]);
    }

    [Fact]
    public async Task The_quick_audit_reads_as_many_documents_with_100_closed_reservations_as_with_none()
    {
        var w = await WorldAsync("none", "many");
        foreach (var p in new[] { "none", "many" })
            await w.App.Reserve.ExecuteAsync(new ReserveCommand($"{p}-open", [new(p, 3)]));
        for (var i = 0; i < 100; i++)
        {
            var order = $"many-{i}";
            if (i % 5 == 4)
            {
                await RejectAsync(w, "many", order);
                continue;
            }
            await w.App.Reserve.ExecuteAsync(new ReserveCommand(order, [new("many", 2)]));
            if (i % 2 == 0) await w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand(order));
            else await w.App.Release.ExecuteAsync(new ReservationChangeCommand(order));
        }

        var read = new Dictionary<string, (long Documents, long Reservations)>();
        foreach (var p in new[] { "none", "many" })
        {
            w.Counting.Reset();
            var report = await w.App.Invariants.CheckAsync(p);
            Assert.True(report.Holds, string.Join("\n", report.Violations));
            // The ledger's part (the latest checkpoint, if any, and at most K entries after it) differs with the ledger's
            // length, bounded by K (LedgerAuditTests): the rest must not differ at all.
            read[p] = (w.Counting.DocumentsRead - report.LedgerEntries - w.Counting.DocumentsReadWithPrefix("ckp|"), w.Counting.DocumentsReadWithPrefix("res|") + w.Counting.DocumentsReadWithPrefix("rsb|")
                + w.Counting.DocumentsReadWithPrefix("rsc|"));
        }
        Assert.Equal(1, read["many"].Reservations); // the open one
        Assert.Equal(read["none"], read["many"]);
    }

    [Fact]
    public async Task Fulfilling_releasing_expiring_and_rolling_back_move_the_reservation_to_the_closed_prefix()
    {
        var w = await WorldAsync("A", "B");
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("shipped", [new("A", 2)]));
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("part", [new("A", 2)]));
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("released", [new("A", 2)]));
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("expired", [new("A", 2)], HoldMinutes: 5));
        Assert.Equal(["pack|expired", "pack|part", "pack|released", "pack|shipped"], await ReservationIdsAsync(w, "A"));

        await w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("shipped"));
        await w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("part", [new("A", 1)], "ship-1")); // still holds 1: stays open
        await w.App.Release.ExecuteAsync(new ReservationChangeCommand("released"));
        w.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, (await w.App.ExpireHolds.ExecuteAsync()).OrdersReleased);

        Assert.Equal(["pack|part", "rsc|expired", "rsc|released", "rsc|shipped"], await ReservationIdsAsync(w, "A"));
        Assert.Equal(1, (await w.App.Stock.GetStockAsync("A")).QuantityReserved);
        await w.Scenario.AssertBooksBalanceAsync("A");

        // Rolled back: the order reserved A, then B refused it (B's stock went to another order after this one's check),
        // so the saga, recorded as compensating, gives A back.
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("taker", [new("B", 9_999)]));
        await w.App.Committer.RunAsync("A", StockRead.ForOrder("rolled"), s => s.Reserve(
            new ReserveRequest("rolled", 2, null, ReservationPolicy.AllOrNothing, null, "t"), AllocationOptions.Default, Start), default);
        await RejectAsync(w, "B", "rolled");
        await w.App.Orders.ClaimAsync(new OrderRecord
        {
            OrderId = "rolled", Fingerprint = "f", Lines = [new("A", 2), new("B", 5)], CreatedAt = Start, State = OrderSagaState.Compensating,
            Refusal = new OrderRefusal("insufficient-stock", "short", "B"), PerformedBy = "t",
        }, default);
        await w.App.Reserve.ResumeAsync("rolled", default);
        Assert.Equal(ReservationStatus.Released, (await w.App.Partitions.ReservationAsync("A", "rolled", null, default))!.Status);
        var ids = await ReservationIdsAsync(w, "A");
        Assert.Contains("rsc|rolled", ids);
        Assert.DoesNotContain("res|rolled", ids);
        Assert.Equal(["pack|taker", "rsc|rolled"], await ReservationIdsAsync(w, "B"));
        await w.Scenario.AssertBooksBalanceAsync("A");
        await w.Scenario.AssertBooksBalanceAsync("B");
    }

    [Fact]
    public async Task A_replay_of_a_fulfilled_released_or_rejected_order_answers_as_recorded()
    {
        var w = await WorldAsync("A");
        var shipped = await w.App.Reserve.ExecuteAsync(new ReserveCommand("shipped", [new("A", 2)]));
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("released", [new("A", 3)]));
        var fulfilled = await w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("shipped", null, "ship-1"));
        var released = await w.App.Release.ExecuteAsync(new ReservationChangeCommand("released", null, "rel-1"));
        var rejected = await RejectAsync(w, "A", "rejected");
        var commits = w.Counting.Calls("Commit", Collection.Products);

        Assert.Equal(fulfilled.Lines.Single().Status, (await w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("shipped", null, "ship-1"))).Lines.Single().Status);
        Assert.Equal(released.Lines.Single().Status, (await w.App.Release.ExecuteAsync(new ReservationChangeCommand("released", null, "rel-1"))).Lines.Single().Status);
        var replay = await w.App.Reserve.ExecuteAsync(new ReserveCommand("shipped", [new("A", 2)]));
        Assert.False(replay.Created);
        Assert.Equal(shipped.Reservation.OrderId, replay.Reservation.OrderId);
        var again = await RejectAsync(w, "A", "rejected");
        Assert.Equal((rejected.Status, rejected.AvailableAtDecision, rejected.CreatedAt), (again.Status, again.AvailableAtDecision, again.CreatedAt));
        Assert.Equal(commits, w.Counting.Calls("Commit", Collection.Products)); // no replay wrote to the product

        Assert.Equal(ReservationStatus.Fulfilled, (await w.App.Partitions.ReservationAsync("A", "shipped", null, default))!.Status);
        Assert.Equal(ReservationStatus.Released, (await w.App.Partitions.ReservationAsync("A", "released", null, default))!.Status);
        Assert.Equal(OrderReservationStatus.Fulfilled, (await w.App.Orders.ViewAsync("shipped", default)).Status);
        await Assert.ThrowsAsync<InvalidStateException>(() => w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("released", null, "ship-2")));
        Assert.Equal((9_998L, 0L), ((await w.App.Stock.GetStockAsync("A")).QuantityOnHand, (await w.App.Stock.GetStockAsync("A")).QuantityReserved)); // nothing moved twice
    }

    [Fact]
    public async Task A_rejection_decided_on_a_stale_read_cannot_stand_beside_the_reservation_that_won()
    {
        var w = await WorldAsync("A");
        var stale = (await w.App.Partitions.LoadAsync("A", StockRead.ForOrder("o")))!;
        stale.Stock.Reserve(new ReserveRequest("o", 20_000, null, ReservationPolicy.AllOrNothing, null, "t"), AllocationOptions.Default, Start);
        Assert.Equal(ReservationStatus.Rejected, stale.Stock.Reservation("o")!.Status);

        await w.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 10_000, "more"));
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("o", [new("A", 20_000)]));

        await Assert.ThrowsAsync<CommitConflictException>(() => w.App.Partitions.CommitAsync(stale));
        Assert.Equal(["pack|o"], await ReservationIdsAsync(w, "A"));
    }

    [Fact]
    public async Task The_list_reads_the_open_prefix_for_active_and_pages_both_for_the_rest()
    {
        var w = await WorldAsync("A");
        foreach (var o in new[] { "o1", "o2", "o3", "o4", "o5" })
            await w.App.Reserve.ExecuteAsync(new ReserveCommand(o, [new("A", 1)]));
        await w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("o2"));
        await w.App.Release.ExecuteAsync(new ReservationChangeCommand("o4"));
        await RejectAsync(w, "A", "o6");

        w.Counting.Reset();
        var active = await AllAsync(t => w.App.ProductReservations.ListAsync("A", ReservationStatus.Active, 1, t));
        Assert.Equal(["o1", "o3", "o5"], active);
        Assert.Equal(0, w.Counting.DocumentsReadWithPrefix("rsc|")); // never a closed one
        Assert.Equal(["o2"], await AllAsync(t => w.App.ProductReservations.ListAsync("A", ReservationStatus.Fulfilled, 1, t)));
        Assert.Equal(["o4"], await AllAsync(t => w.App.ProductReservations.ListAsync("A", ReservationStatus.Released, 2, t)));
        Assert.Equal(["o6"], await AllAsync(t => w.App.ProductReservations.ListAsync("A", ReservationStatus.Rejected, 1, t)));
        // Unfiltered: the open ones, then the closed ones, each in order id order.
        Assert.Equal(["o1", "o3", "o5", "o2", "o4", "o6"], await AllAsync(t => w.App.ProductReservations.ListAsync("A", null, 2, t)));

        var first = await w.App.ProductReservations.ListAsync("A", null, 3);
        Assert.NotNull(first.ContinuationToken);
        Assert.DoesNotContain("|", first.ContinuationToken); // opaque and URL-safe
        await Assert.ThrowsAsync<ValidationException>(() => w.App.ProductReservations.ListAsync("A", null, 3, "not-a-token"));
        await Assert.ThrowsAsync<ValidationException>(() => w.App.ProductReservations.ListAsync("A", ReservationStatus.Active, 3, first.ContinuationToken));
    }

    [Fact]
    public async Task Closed_reservations_stored_before_the_split_are_still_found_replayed_listed_and_audited()
    {
        var w = await WorldAsync("A");
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("old-shipped", [new("A", 2)]));
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("old-released", [new("A", 3)]));
        await w.App.Reserve.ExecuteAsync(new ReserveCommand("open", [new("A", 4)]));
        await w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("old-shipped", null, "ship-1"));
        await w.App.Release.ExecuteAsync(new ReservationChangeCommand("old-released", null, "rel-1"));
        await ToOldLayoutAsync(w, "A", "old-shipped");
        await ToOldLayoutAsync(w, "A", "old-released");
        Assert.Equal(["pack|open", "res|old-released", "res|old-shipped"], await ReservationIdsAsync(w, "A"));
        var commits = w.Counting.Calls("Commit", Collection.Products);

        Assert.Equal(ReservationStatus.Fulfilled, (await w.App.Partitions.ReservationAsync("A", "old-shipped", null, default))!.Status);
        Assert.Equal(OrderReservationStatus.Released, (await w.App.Orders.ViewAsync("old-released", default)).Status);
        await w.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("old-shipped", null, "ship-1")); // replays
        await w.App.Release.ExecuteAsync(new ReservationChangeCommand("old-released", null, "rel-1"));
        Assert.Equal(commits, w.Counting.Calls("Commit", Collection.Products));

        Assert.Equal(["open"], await AllAsync(t => w.App.ProductReservations.ListAsync("A", ReservationStatus.Active, 10, t)));
        Assert.Equal(["old-shipped"], await AllAsync(t => w.App.ProductReservations.ListAsync("A", ReservationStatus.Fulfilled, 10, t)));
        Assert.Equal(["old-released"], await AllAsync(t => w.App.ProductReservations.ListAsync("A", ReservationStatus.Released, 10, t)));
        Assert.Equal(3, (await AllAsync(t => w.App.ProductReservations.ListAsync("A", null, 10, t))).Count);
        var report = await w.Scenario.AssertBooksBalanceAsync("A"); // counts only the active one as held
        Assert.True(report.Holds);
        Assert.Equal(4, (await w.App.Stock.GetStockAsync("A")).QuantityReserved);
    }

    private static async Task<List<string>> AllAsync(Func<string?, Task<ListPage<ProductReservationItem>>> page)
    {
        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var p = await page(token);
            ids.AddRange(p.Items.Select(i => i.OrderId));
            token = p.ContinuationToken;
        } while (token is not null && ++pages < 100);
        return ids;
    }
}
