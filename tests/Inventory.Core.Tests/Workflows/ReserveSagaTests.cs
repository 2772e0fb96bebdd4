using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// The reserve saga (issue 12): any refusal gives back what was reserved; a crash on either side of any of its writes,
/// or of recovery's, then a retry or <see cref="RecoverOrders"/> on a fresh application instance, ends as one clean run.
/// </summary>
public class ReserveSagaTests
{
    public enum Case { Accepted, Short, TooLarge }

    private sealed record World(InMemoryDocumentStore Store, FaultyStore Faulty, ManualClock Clock);

    /// <summary>
    /// A holds 10 in L1; B holds 1 in each of L1..L4. The store takes 5 writes a commit and refuses reserving 4 of B as too
    /// large, as a store does a commit past its limits (its writes no longer grow with the locations: the head holds the
    /// balances, one ledger pack the entries), while giving A back fits (the head, the reservation moved from <c>res|</c>
    /// to <c>rsc|</c>: a delete and a create, the change record, 1 ledger entry: 5 writes).
    /// </summary>
    private static async Task<World> WorldAsync()
    {
        var store = new InMemoryDocumentStore(maxWritesPerCommit: 5);
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var s = StockScenario.Over(store, clock);
        await s.WarehouseAsync("W1");
        foreach (var l in new[] { "L1", "L2", "L3", "L4" }) await s.LocationAsync("W1", l);
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await s.StockAsync("A", "L1", 10);
        foreach (var l in new[] { "L1", "L2", "L3", "L4" }) await s.StockAsync("B", l, 1);
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

    private static ReserveCommand Command(Case c) => c switch
    {
        Case.Accepted => new ReserveCommand("O-" + c, [new("A", 4), new("B", 2)], HoldMinutes: 30),
        Case.Short => new ReserveCommand("O-" + c, [new("A", 4), new("B", 5)]),
        _ => new ReserveCommand("O-" + c, [new("A", 4), new("B", 4)]),
    };

    private static string? Expected(Case c) => c switch
    {
        Case.Accepted => null,
        Case.Short => "insufficient-stock",
        _ => TransactionTooLargeException.Code,
    };

    private static InventoryApplication Fresh(World w, IDocumentStore? store = null) =>
        new(store ?? w.Store, w.Clock, new ConcurrencyOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero })
        { OrderOptions = new OrderOptions { RecoverAfterSeconds = 60 } };

    /// <summary>The code a run answered with: null for a reservation, else the refusal's code.</summary>
    private static async Task<string?> RunAsync(Func<Task> run)
    {
        try { await run(); return null; }
        catch (DomainException e) { return e.Code; }
        catch (TransactionTooLargeException) { return TransactionTooLargeException.Code; }
    }

    private static async Task AssertCleanEndAsync(World w, Case c)
    {
        var app = Fresh(w);
        var order = await app.Orders.GetAsync("O-" + c, default);
        Assert.Equal(c == Case.Accepted ? OrderSagaState.Reserved : OrderSagaState.Rejected, order.State);
        Assert.Equal(Expected(c), order.Refusal?.Code);
        Assert.Equal(c == Case.Accepted ? 4 : 0, (await app.Stock.GetStockAsync("A")).QuantityReserved);
        Assert.Equal(c == Case.Accepted ? 2 : 0, (await app.Stock.GetStockAsync("B")).QuantityReserved);
        Assert.Equal(c == Case.Accepted ? OrderReservationStatus.Reserved : OrderReservationStatus.Rejected, (await app.Orders.ViewAsync("O-" + c, default)).Status);
        Assert.Empty(await OpenAsync(app));
        var s = new StockScenario(app);
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
        // A replay gets the same terminal answer and changes nothing.
        Assert.Equal(Expected(c), await RunAsync(() => app.Reserve.ExecuteAsync(Command(c))));
        Assert.Equal(c == Case.Accepted ? 4 : 0, (await app.Stock.GetStockAsync("A")).QuantityReserved);
    }

    /// <summary>What a crashed run may end with besides the fault: the refusal the store raised at the write armed to lose its acknowledgement.</summary>
    private static bool Refusal(Exception? e) => e is DomainException or TransactionTooLargeException;

    private static async Task<List<OpenSaga>> OpenAsync(InventoryApplication app)
    {
        var open = new List<OpenSaga>();
        await foreach (var saga in app.Orders.OpenSagasAsync(default)) open.Add(saga);
        return open;
    }

    private static async Task<int> CleanRunCommitsAsync(Case c)
    {
        var w = await WorldAsync();
        w.Faulty.Arm();
        Assert.Equal(Expected(c), await RunAsync(() => Fresh(w, w.Faulty).Reserve.ExecuteAsync(Command(c))));
        await AssertCleanEndAsync(w, c);
        return w.Faulty.Commits;
    }

    // Accepted: open-saga entry, header, hold index entry, A, B, header RESERVED, entry removed (no second write of the
    // entry: a driver stalled before its claim meets recovery's fence instead and enlists again only then,
    // AReserveSagaWhoseEntryRecoveryClearedBeforeItsClaimIsStillRecoveredTests).
    // Short: entry, header, A, B's refusal recorded (a REJECTED reservation, so replays get the same answer),
    // header COMPENSATING, A released, header REJECTED, entry removed.
    // Too large: the same, B's commit attempted and refused by the store instead of B's refusal recorded, and the
    // compensation records in B that the order holds nothing there (so a racing driver cannot reserve it after).
    [Theory]
    [InlineData(Case.Accepted, 7)]
    [InlineData(Case.Short, 8)]
    [InlineData(Case.TooLarge, 9)]
    public async Task One_clean_run_ends_terminal_with_nothing_held_by_a_refused_order(Case c, int writes) =>
        Assert.Equal(writes, await CleanRunCommitsAsync(c));

    [Theory]
    [InlineData(Case.Accepted)]
    [InlineData(Case.Short)]
    [InlineData(Case.TooLarge)]
    public async Task A_crash_on_either_side_of_any_write_then_a_retry_on_a_fresh_instance_ends_as_one_clean_run(Case c) =>
        await CrashMatrix.EveryWriteAsync(await CleanRunCommitsAsync(c), async crash =>
        {
            var w = await WorldAsync();
            await CrashMatrix.CrashAsync(w.Faulty, crash, () => Fresh(w, w.Faulty).Reserve.ExecuteAsync(Command(c)), Refusal);
            Assert.Equal(Expected(c), await RunAsync(() => Fresh(w).Reserve.ExecuteAsync(Command(c))));
            await AssertCleanEndAsync(w, c);
        });

    [Theory]
    [InlineData(Case.Accepted)]
    [InlineData(Case.Short)]
    [InlineData(Case.TooLarge)]
    public async Task A_crash_on_either_side_of_any_write_is_finished_by_RecoverOrders_on_a_fresh_instance(Case c) =>
        await CrashMatrix.EveryWriteAsync(await CleanRunCommitsAsync(c), async crash =>
        {
            var w = await WorldAsync();
            await CrashMatrix.CrashAsync(w.Faulty, crash, () => Fresh(w, w.Faulty).Reserve.ExecuteAsync(Command(c)), Refusal);

            var young = await Fresh(w).RecoverOrders.ExecuteAsync();
            Assert.Equal(0, young.Due); // not stuck long enough yet: a live request may still be driving it
            w.Clock.Advance(TimeSpan.FromSeconds(61));
            var recovered = await Fresh(w).RecoverOrders.ExecuteAsync();
            Assert.Equal(0, recovered.Failed);
            if ((await Fresh(w).Orders.FindAsync("O-" + c, default)) is null)
            {
                // Died before the claim: nothing happened; recovery only tidied the index. The caller's retry decides.
                Assert.Empty(await OpenAsync(Fresh(w)));
                Assert.Equal(Expected(c), await RunAsync(() => Fresh(w).Reserve.ExecuteAsync(Command(c))));
            }
            await AssertCleanEndAsync(w, c);
        });

    [Theory]
    [InlineData(Case.Accepted)]
    [InlineData(Case.TooLarge)]
    public async Task A_crash_during_recovery_then_the_next_recovery_ends_as_one_clean_run(Case c)
    {
        // Every saga left open after the header and the first product: recovery then has products, header and index to write.
        var atProductB = c == Case.Accepted ? 5 : 4; // entry, header, (hold), A, B
        var clean = await WorldAsync();
        clean.Faulty.Arm(atProductB);
        await Assert.ThrowsAsync<StoreFaultException>(() => Fresh(clean, clean.Faulty).Reserve.ExecuteAsync(Command(c)));
        clean.Clock.Advance(TimeSpan.FromSeconds(61));
        clean.Faulty.Arm();
        await Fresh(clean, clean.Faulty).RecoverOrders.ExecuteAsync();
        var recoveryCommits = clean.Faulty.Commits;
        Assert.True(recoveryCommits >= 2, $"recovery made {recoveryCommits} commits");
        await AssertCleanEndAsync(clean, c);

        await CrashMatrix.EveryWriteAsync(recoveryCommits, async crash =>
        {
            var w = await WorldAsync();
            w.Faulty.Arm(atProductB);
            await Assert.ThrowsAsync<StoreFaultException>(() => Fresh(w, w.Faulty).Reserve.ExecuteAsync(Command(c)));
            w.Clock.Advance(TimeSpan.FromSeconds(61));
            // Recovery counts a saga's refusal as failed rather than throwing: a write the store refuses itself lets it finish.
            await CrashMatrix.CrashAsync(w.Faulty, crash, () => Fresh(w, w.Faulty).RecoverOrders.ExecuteAsync(), e => e is null || Refusal(e));
            await Fresh(w).RecoverOrders.ExecuteAsync();
            await AssertCleanEndAsync(w, c);
        });
    }

    [Fact]
    public async Task The_caller_going_away_after_the_claim_does_not_stop_the_saga_half_way()
    {
        var w = await WorldAsync();
        using var caller = new CancellationTokenSource();
        // The client disconnects the moment the header is claimed.
        w.Store.BeforeCommit = (collection, partition, _) => { if (collection == Collection.Orders && partition == OrderHeaders.HeaderPartition("O-Accepted")) caller.Cancel(); };
        var result = await Fresh(w).Reserve.ExecuteAsync(Command(Case.Accepted), caller.Token);
        w.Store.BeforeCommit = null;

        Assert.True(caller.IsCancellationRequested);
        Assert.Equal(OrderReservationStatus.Reserved, result.Reservation.Status);
        await AssertCleanEndAsync(w, Case.Accepted);
    }

    [Fact]
    public async Task A_product_deactivated_while_the_order_is_reserved_gives_back_the_earlier_products()
    {
        var w = await WorldAsync();
        var app = Fresh(w);
        await app.Reserve.ExecuteAsync(new ReserveCommand("warm", [new("B", 1)])); // B seen active: not read again for a second
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "B", Sku = "SKU-B", Name = "Product B", IsActive = false });

        var refused = await Assert.ThrowsAsync<InvalidStateException>(() => app.Reserve.ExecuteAsync(new ReserveCommand("O-inactive", [new("A", 4), new("B", 1)])));
        Assert.Equal(0, (await app.Stock.GetStockAsync("A")).QuantityReserved);
        var replay = await Assert.ThrowsAsync<InvalidStateException>(() => Fresh(w).Reserve.ExecuteAsync(new ReserveCommand("O-inactive", [new("A", 4), new("B", 1)])));
        Assert.Equal(refused.Message, replay.Message);
        Assert.Equal("B", (await Fresh(w).Orders.GetAsync("O-inactive", default)).Refusal?.ProductId);
    }
}
