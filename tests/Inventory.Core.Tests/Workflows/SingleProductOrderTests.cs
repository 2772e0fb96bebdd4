using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// An order whose lines combine to one product (issue 14): its only stock change is one transaction in one product
/// partition, so it runs no saga. The header is written once (the claim of the order id) and the product's reservation
/// decides the order; only a refusal the product cannot record (an inactive product found by the decision, a change too
/// large for one transaction) is written on the header too.
/// </summary>
public class SingleProductOrderTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public enum Case { Accepted, Short, TooLarge }

    private static readonly string[] Locations = ["L1", "L2", "L3", "L4", "L5", "L6"];

    private sealed record World(InMemoryDocumentStore Store, FaultyStore Faulty, ManualClock Clock);

    /// <summary>
    /// A holds 10 in L1; B holds 1 in each of L1..L6. The store takes 7 writes a commit and refuses reserving 6 of B as too
    /// large, as a store does a commit past its limits (its writes no longer grow with the locations: the head holds the
    /// balances, one ledger pack the entries).
    /// </summary>
    private static async Task<World> WorldAsync()
    {
        var store = new InMemoryDocumentStore(maxWritesPerCommit: 7);
        var clock = new ManualClock(Start);
        var s = StockScenario.Over(store, clock);
        await s.WarehouseAsync("W1");
        foreach (var l in Locations) await s.LocationAsync("W1", l);
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await s.StockAsync("A", "L1", 10);
        foreach (var l in Locations) await s.StockAsync("B", l, 1);
        store.BeforeCommit = (collection, partition, writes) =>
        {
            // Too large are the order's movements (its allocations' ledger entries), not a record that it holds nothing here.
            if (collection == Collection.Products && partition == "B" && ReservationWrites.Orders(writes).Contains("O-" + Case.TooLarge)
                && writes.OfType<DocumentWrite.Create>().Any(w => w.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal)
                    && LedgerPack.Read(w.Body).Any(e => e.TxnType != TxnType.Mark))) // a mark (a refusal's record) moves nothing
                throw new TransactionTooLargeException("B's too-large order is more than this store takes in one commit.");
        };
        return new World(store, new FaultyStore(store), clock);
    }

    private static InventoryApplication Fresh(World w, IDocumentStore? store = null) =>
        new(store ?? w.Store, w.Clock, new ConcurrencyOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero })
        { OrderOptions = new OrderOptions { RecoverAfterSeconds = 60 } };

    private static ReserveCommand Command(Case c) => c switch
    {
        Case.Accepted => new ReserveCommand("O-" + c, [new("A", 3), new("A", 1)], HoldMinutes: 30), // combined: A 4
        Case.Short => new ReserveCommand("O-" + c, [new("A", 11)]),
        _ => new ReserveCommand("O-" + c, [new("B", Locations.Length)]),
    };

    private static string? Expected(Case c) => c switch
    {
        Case.Accepted => null,
        Case.Short => "insufficient-stock",
        _ => TransactionTooLargeException.Code,
    };

    private static async Task<string?> RunAsync(Func<Task> run)
    {
        try { await run(); return null; }
        catch (DomainException e) { return e.Code; }
        catch (TransactionTooLargeException) { return TransactionTooLargeException.Code; }
    }

    /// <summary>Documents written by successful commits to the Orders collection (the header, the open-saga index) while <paramref name="run"/> runs.</summary>
    private static async Task<int> OrdersDocumentsWrittenAsync(InMemoryDocumentStore store, Func<Task> run)
    {
        var written = 0;
        store.AfterCommit = (collection, _, writes) => { if (collection == Collection.Orders) written += writes.Count; };
        try { await run(); }
        finally { store.AfterCommit = null; }
        return written;
    }

    private static async Task<List<OpenSaga>> OpenAsync(InventoryApplication app)
    {
        var open = new List<OpenSaga>();
        await foreach (var saga in app.Orders.OpenSagasAsync(default)) open.Add(saga);
        return open;
    }

    /// <summary>Every document the order touches, the opening receipts' random ids (a fresh world each time) made stable.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> StateAsync(World w) =>
        (await RawStateAsync(w)).ToDictionary(d => Stable(d.Key), d => Stable(d.Value), StringComparer.Ordinal);

    /// <remarks>A pack name starts with the tag of the instance that claimed the order: each world's instances have their own.</remarks>
    private static string Stable(string text) => System.Text.RegularExpressions.Regex.Replace(
        System.Text.RegularExpressions.Regex.Replace(text, "(opening-[A-Z]-L[0-9])-[0-9a-f]{32}", "$1"), "(rsb\\||\"pack\":\")[0-9a-f]{8}", "$1~");

    private static Task<IReadOnlyDictionary<string, string>> RawStateAsync(World w) =>
        CrashMatrix.StateAsync(w.Store, [
            (Collection.Products, "A"), (Collection.Products, "B"),
            (Collection.Orders, "O-Accepted"), (Collection.Orders, "O-Short"), (Collection.Orders, "O-TooLarge"),
            (Collection.Holds, Start.AddMinutes(30).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)),
            .. OrderHeaders.OpenPartitions().Select(p => (Collection.Orders, p)), // the open-saga index: never written
            .. OrderHeaders.HeaderPartitions().Select(p => (Collection.Orders, p)), // the headers
        ]);

    [Fact]
    public async Task A_lone_reservation_writes_one_document_to_the_orders_collection_and_one_product_transaction()
    {
        var w = await WorldAsync();
        var productCommits = 0;
        w.Store.BeforeCommit = (collection, _, _) => { if (collection == Collection.Products) productCommits++; };
        var written = await OrdersDocumentsWrittenAsync(w.Store, () => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2)])));
        w.Store.BeforeCommit = null;

        Assert.Equal(1, written); // the header; no open-saga entry, no Pending → Reserved update, no delisting
        Assert.Equal(1, productCommits);
        var header = await Fresh(w).Orders.GetAsync("O1", default);
        Assert.True(header.DecidedByProduct);
        Assert.Null(header.State);
        Assert.Equal(OrderReservationStatus.Reserved, (await Fresh(w).Orders.ViewAsync("O1", default)).Status);
        Assert.Empty(await OpenAsync(Fresh(w)));
    }

    [Fact]
    public async Task An_order_of_several_products_still_runs_the_saga()
    {
        var w = await WorldAsync();
        var written = await OrdersDocumentsWrittenAsync(w.Store, () => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O2", [new("A", 2), new("B", 1)])));
        Assert.Equal(4, written); // entry, header (Pending), header (Reserved), entry removed
        Assert.Equal(OrderSagaState.Reserved, (await Fresh(w).Orders.GetAsync("O2", default)).State);
    }

    [Fact]
    public async Task A_replay_gets_the_recorded_reservation_and_writes_nothing()
    {
        var w = await WorldAsync();
        var command = new ReserveCommand("O1", [new("A", 4)], HoldMinutes: 30);
        var first = await Fresh(w).Reserve.ExecuteAsync(command);
        var commits = 0;
        w.Store.AfterCommit = (_, _, _) => commits++;

        var again = await Fresh(w).Reserve.ExecuteAsync(command);
        var againHere = await Fresh(w).Reserve.ExecuteAsync(command);
        w.Store.AfterCommit = null;

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.False(againHere.Created);
        Assert.Equal(first.Reservation with { Lines = [] }, again.Reservation with { Lines = [] });
        Assert.Equal(first.Reservation.Lines.Single().Allocations, again.Reservation.Lines.Single().Allocations);
        Assert.Equal(2, commits); // only the hold index entry, rewritten (idempotent) by each replay as every attempt does before deciding
        Assert.Equal(4, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved);
    }

    [Fact]
    public async Task A_shortage_is_recorded_by_the_product_alone_and_replayed_with_the_same_lines()
    {
        var w = await WorldAsync();
        var command = new ReserveCommand("O1", [new("A", 11)]);
        InsufficientStockException? refused = null;
        var written = await OrdersDocumentsWrittenAsync(w.Store, async () =>
            refused = await Assert.ThrowsAsync<InsufficientStockException>(() => Fresh(w).Reserve.ExecuteAsync(command)));

        Assert.Equal(1, written); // the header only: the product's REJECTED reservation is the order's decision
        Assert.Equal([("A", 11L, 10L)], refused!.Lines.Select(l => (l.ProductId, l.Requested, l.Available)));
        Assert.Null((await Fresh(w).Orders.GetAsync("O1", default)).State);
        Assert.Equal(OrderReservationStatus.Rejected, (await Fresh(w).Orders.ViewAsync("O1", default)).Status);

        // Stock arrives: the replay still gets the recorded refusal, with the same lines, and reserves nothing.
        await new StockScenario(Fresh(w)).StockAsync("A", "L2", 5);
        var replay = await Assert.ThrowsAsync<InsufficientStockException>(() => Fresh(w).Reserve.ExecuteAsync(command));
        Assert.Equal(refused.Lines, replay.Lines);
        Assert.Equal(refused.Message, replay.Message);
        Assert.Equal(0, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Empty(await OpenAsync(Fresh(w)));
    }

    [Fact]
    public async Task Reusing_the_order_id_for_other_lines_is_a_conflict_that_changes_nothing()
    {
        var w = await WorldAsync();
        await Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4)]));
        var before = await StateAsync(w);

        await Assert.ThrowsAsync<OrderConflictException>(() => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 5)])));
        await Assert.ThrowsAsync<OrderConflictException>(() => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O1", [new("B", 1)])));
        await Assert.ThrowsAsync<OrderConflictException>(() => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4)], Policy: ReservationPolicy.Partial)));
        CrashMatrix.AssertSame(before, await StateAsync(w), "after reuses with one product");

        // A reuse with several products enlisted its saga before its claim failed: recovery only removes that entry.
        await Assert.ThrowsAsync<OrderConflictException>(() => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4), new("B", 1)])));
        w.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, (await Fresh(w).RecoverOrders.ExecuteAsync()).Failed);
        CrashMatrix.AssertSame(before, await StateAsync(w), "after a reuse with several products and recovery");
        Assert.Equal(4, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(0, (await Fresh(w).Stock.GetStockAsync("B")).QuantityReserved);
    }

    [Fact]
    public async Task A_crash_between_the_header_and_the_stock_leaves_a_pending_order_holding_nothing_until_a_retry()
    {
        var w = await WorldAsync();
        var command = new ReserveCommand("O1", [new("A", 4)], HoldMinutes: 30);
        w.Faulty.Arm(3); // header, hold index entry, then the product: dies there
        await Assert.ThrowsAsync<StoreFaultException>(() => Fresh(w, w.Faulty).Reserve.ExecuteAsync(command));
        w.Faulty.Arm();

        Assert.Equal(OrderReservationStatus.Pending, (await Fresh(w).Orders.ViewAsync("O1", default)).Status);
        Assert.Equal(0, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved);
        // Nothing to recover: no saga was enlisted, no stock is held.
        w.Clock.Advance(TimeSpan.FromSeconds(61));
        var recovered = await Fresh(w).RecoverOrders.ExecuteAsync();
        Assert.Equal((0, 0), (recovered.Open, recovered.Due));
        Assert.Equal(OrderReservationStatus.Pending, (await Fresh(w).Orders.ViewAsync("O1", default)).Status);
        // A fulfilment before the stock is reserved finds no reservation.
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => Fresh(w).Fulfill.ExecuteAsync(new ReservationChangeCommand("O1")));

        var retried = await Fresh(w).Reserve.ExecuteAsync(command);
        Assert.False(retried.Created);
        Assert.Equal(OrderReservationStatus.Reserved, retried.Reservation.Status);
        Assert.Equal(4, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved);
        await new StockScenario(Fresh(w)).AssertBooksBalanceAsync("A");
    }

    private static async Task<(int Writes, IReadOnlyDictionary<string, string> State)> CleanRunAsync(Case c)
    {
        var w = await WorldAsync();
        w.Faulty.Arm();
        Assert.Equal(Expected(c), await RunAsync(() => Fresh(w, w.Faulty).Reserve.ExecuteAsync(Command(c))));
        await AssertEndAsync(w, c);
        return (w.Faulty.Commits, await StateAsync(w));
    }

    private static async Task AssertEndAsync(World w, Case c)
    {
        var app = Fresh(w);
        var order = await app.Orders.GetAsync("O-" + c, default);
        Assert.Equal(c == Case.TooLarge ? OrderSagaState.Rejected : null, order.State);
        Assert.Equal(c == Case.TooLarge ? TransactionTooLargeException.Code : null, order.Refusal?.Code);
        Assert.Equal(c == Case.Accepted ? OrderReservationStatus.Reserved : OrderReservationStatus.Rejected, (await app.Orders.ViewAsync("O-" + c, default)).Status);
        Assert.Equal(c == Case.Accepted ? 4 : 0, (await app.Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(0, (await app.Stock.GetStockAsync("B")).QuantityReserved);
        Assert.Empty(await OpenAsync(app));
        await new StockScenario(app).AssertBooksBalanceAsync("A");
        await new StockScenario(app).AssertBooksBalanceAsync("B");
    }

    // Accepted: header, hold index entry, A. Short: header, A's REJECTED reservation. Too large: header, B's commit
    // refused by the store, the open-saga entry, the refusal on the header, the entry again, B's record that the order
    // holds nothing there (its compensation), the entry removed.
    [Theory]
    [InlineData(Case.Accepted, 3)]
    [InlineData(Case.Short, 2)]
    [InlineData(Case.TooLarge, 7)]
    public async Task One_clean_run_writes_only_the_header_and_the_product(Case c, int writes) =>
        Assert.Equal(writes, (await CleanRunAsync(c)).Writes);

    [Theory]
    [InlineData(Case.Accepted)]
    [InlineData(Case.Short)]
    [InlineData(Case.TooLarge)]
    public async Task Two_instances_running_the_same_order_at_once_end_as_one_clean_run(Case c)
    {
        var clean = await CleanRunAsync(c);
        for (var round = 0; round < 5; round++)
        {
            var w = await WorldAsync();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => RunAsync(() => Fresh(w).Reserve.ExecuteAsync(Command(c))))));
            Assert.All(outcomes, o => Assert.Equal(Expected(c), o));
            await AssertEndAsync(w, c);
            CrashMatrix.AssertSame(clean.State, await StateAsync(w), $"{c}, twins, round {round}");
        }
    }

    [Theory]
    [InlineData(Case.Accepted)]
    [InlineData(Case.Short)]
    [InlineData(Case.TooLarge)]
    public async Task A_crash_on_either_side_of_any_write_then_a_retry_on_a_fresh_instance_ends_as_one_clean_run(Case c)
    {
        var clean = await CleanRunAsync(c);
        await CrashMatrix.EveryWriteAsync(clean.Writes, async crash =>
        {
            var w = await WorldAsync();
            await CrashMatrix.CrashAsync(w.Faulty, crash, () => Fresh(w, w.Faulty).Reserve.ExecuteAsync(Command(c)),
                e => e is DomainException or TransactionTooLargeException);
            Assert.Equal(Expected(c), await RunAsync(() => Fresh(w).Reserve.ExecuteAsync(Command(c))));
            await AssertEndAsync(w, c);
            CrashMatrix.AssertSame(clean.State, await StateAsync(w), $"{c}, {crash}");
            // And a replay changes nothing more.
            Assert.Equal(Expected(c), await RunAsync(() => Fresh(w).Reserve.ExecuteAsync(Command(c))));
            CrashMatrix.AssertSame(clean.State, await StateAsync(w), $"{c}, {crash}, replayed");
        });
    }

    [Fact]
    public async Task A_product_deactivated_after_it_was_seen_active_refuses_the_order_on_its_header()
    {
        var w = await WorldAsync();
        var app = Fresh(w);
        await app.Reserve.ExecuteAsync(new ReserveCommand("warm", [new("A", 1)])); // A seen active: not read again for a second
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "SKU-A", Name = "Product A", IsActive = false });

        InvalidStateException? refused = null;
        var written = await OrdersDocumentsWrittenAsync(w.Store, async () =>
            refused = await Assert.ThrowsAsync<InvalidStateException>(() => app.Reserve.ExecuteAsync(new ReserveCommand("O-inactive", [new("A", 2)]))));

        // The claim, then the refusal between two enlistments of its compensation (the entry removed once it is done); the
        // product partition records nothing for it.
        Assert.Equal(5, written);
        var header = await Fresh(w).Orders.GetAsync("O-inactive", default);
        Assert.Equal((OrderSagaState.Rejected, "A"), (header.State!.Value, header.Refusal?.ProductId));
        Assert.Equal(OrderReservationStatus.Rejected, (await Fresh(w).Orders.ViewAsync("O-inactive", default)).Status);
        var replay = await Assert.ThrowsAsync<InvalidStateException>(() => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O-inactive", [new("A", 2)])));
        Assert.Equal(refused!.Message, replay.Message);
        Assert.Equal(1, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved); // "warm" only
        Assert.Empty(await OpenAsync(Fresh(w)));
    }

    [Fact]
    public async Task Fulfil_and_release_change_a_one_product_order_whose_header_never_moved()
    {
        var w = await WorldAsync();
        await Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 5)]));
        var shipped = await Fresh(w).Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 2)]));
        Assert.Equal(2, shipped.Lines.Single().Shipped);
        var released = await Fresh(w).Release.ExecuteAsync(new ReservationChangeCommand("O1"));
        Assert.Equal(OrderReservationStatus.Fulfilled, released.Status);
        var a = await Fresh(w).Stock.GetStockAsync("A");
        Assert.Equal((8L, 0L), (a.QuantityOnHand, a.QuantityReserved));
        Assert.Null((await Fresh(w).Orders.GetAsync("O1", default)).State);
        Assert.Empty(await OpenAsync(Fresh(w)));
        await new StockScenario(Fresh(w)).AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_hold_expires_on_a_one_product_order_and_a_retry_after_its_expiry_finds_it_expired()
    {
        var w = await WorldAsync();
        await Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4)], HoldMinutes: 30));
        // A second order dies between its header (and hold entry) and its stock.
        var late = new ReserveCommand("O2", [new("A", 3)], HoldMinutes: 30);
        w.Faulty.Arm(3);
        await Assert.ThrowsAsync<StoreFaultException>(() => Fresh(w, w.Faulty).Reserve.ExecuteAsync(late));
        w.Faulty.Arm();

        w.Clock.Advance(TimeSpan.FromMinutes(31));
        var swept = await Fresh(w).ExpireHolds.ExecuteAsync();
        Assert.Equal((2, 1), (swept.HoldsDue, swept.OrdersReleased)); // O1 released; O2 held nothing: fenced, its entry removed
        Assert.Equal(OrderReservationStatus.Released, (await Fresh(w).Orders.ViewAsync("O1", default)).Status);

        // The retry of O2 comes after its hold fell due. The sweep found it holding nothing and fenced it (recorded it
        // expired where it would be reserved), so the retry reserves nothing and is answered as the order stands. (Until
        // 2026-12-02 it reserved again and indexed its hold again after its commit: a retry stalled between its entry and
        // its commit past the sweep's grace held its units for good, AReservationLandingAfterTheSweepExpiredItsHoldHoldsNothingTests.)
        var retried = (await Fresh(w).Reserve.ExecuteAsync(late)).Reservation;
        Assert.Equal((OrderReservationStatus.Released, 0L), (retried.Status, retried.Lines.Single().Reserved));

        var next = await Fresh(w).ExpireHolds.ExecuteAsync();
        Assert.Equal((1, 0), (next.HoldsDue, next.OrdersReleased)); // the entry the retry wrote again: its order closed, removed
        Assert.Equal(0, (await Fresh(w).ExpireHolds.ExecuteAsync()).HoldsDue);
        Assert.Equal(0, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved);
        await new StockScenario(Fresh(w)).AssertBooksBalanceAsync("A");
    }

    /// <summary>Headers written before this change: a one-product order claimed by the saga (PENDING, enlisted) or finished by it (RESERVED).</summary>
    private static async Task<World> WithSagaHeaderAsync(OrderSagaState state)
    {
        var w = await WorldAsync();
        var app = Fresh(w);
        await app.Orders.EnlistAsync(ReserveStock.SagaKind, "O-old", Start, default);
        await app.Orders.ClaimAsync(new OrderRecord
        {
            OrderId = "O-old", Fingerprint = "|AllOrNothing||A:4", Policy = ReservationPolicy.AllOrNothing,
            Lines = [new OrderLine("A", 4)], CreatedAt = Start, State = OrderSagaState.Pending,
        }, default);
        if (state == OrderSagaState.Reserved)
        {
            await app.Committer.RunAsync("A", StockRead.ForOrder("O-old"),
                s => s.Reserve(new ReserveRequest("O-old", 4, null, ReservationPolicy.AllOrNothing, null, "api"), AllocationOptions.Default, Start), default);
            await app.Orders.ChangeAsync("O-old", o => o with { State = OrderSagaState.Reserved }, default);
            await app.Orders.DelistAsync(ReserveStock.SagaKind, "O-old", default);
        }
        return w;
    }

    [Fact]
    public async Task A_one_product_order_left_pending_by_the_saga_before_this_change_is_finished_by_recovery()
    {
        var w = await WithSagaHeaderAsync(OrderSagaState.Pending);
        w.Clock.Advance(TimeSpan.FromSeconds(61));
        var recovered = await Fresh(w).RecoverOrders.ExecuteAsync();
        Assert.Equal((1, 0), (recovered.Finished, recovered.Failed));
        Assert.Equal(OrderSagaState.Reserved, (await Fresh(w).Orders.GetAsync("O-old", default)).State);
        Assert.Equal(4, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Empty(await OpenAsync(Fresh(w)));
    }

    [Fact]
    public async Task A_one_product_order_left_pending_by_the_saga_before_this_change_is_finished_by_a_retry()
    {
        var w = await WithSagaHeaderAsync(OrderSagaState.Pending);
        var retried = await Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O-old", [new("A", 4)]));
        Assert.False(retried.Created);
        Assert.Equal(OrderReservationStatus.Reserved, retried.Reservation.Status);
        Assert.Equal(OrderSagaState.Reserved, (await Fresh(w).Orders.GetAsync("O-old", default)).State);
        Assert.Empty(await OpenAsync(Fresh(w)));
    }

    [Fact]
    public async Task A_one_product_order_reserved_by_the_saga_before_this_change_replays_and_changes_as_before()
    {
        var w = await WithSagaHeaderAsync(OrderSagaState.Reserved);
        var replay = await Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O-old", [new("A", 4)]));
        Assert.Equal((false, OrderReservationStatus.Reserved), (replay.Created, replay.Reservation.Status));
        await Assert.ThrowsAsync<OrderConflictException>(() => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O-old", [new("A", 5)])));
        var released = await Fresh(w).Release.ExecuteAsync(new ReservationChangeCommand("O-old"));
        Assert.Equal(OrderReservationStatus.Released, released.Status);
        Assert.Equal(0, (await Fresh(w).Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Empty(await OpenAsync(Fresh(w)));
    }
}
