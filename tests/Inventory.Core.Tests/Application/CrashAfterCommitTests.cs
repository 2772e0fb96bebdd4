using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// A process dies at any store write of an operation, on either side of it: before the write is applied, or after it
/// landed while the caller saw an error (a lost acknowledgement). The retry (or the recovery run again) goes through a
/// fresh application instance, as after a restart, with no cache surviving. Then the product partitions (balances,
/// reservations, operation records, ledger entry by entry), the warehouse's partition with its location loads, the
/// order header and intents, the hold index and the purchase order must equal one clean run, document by document.
/// </summary>
public class CrashAfterCommitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public sealed record Operation(string Name, Func<InventoryApplication, Task> Arrange, Func<InventoryApplication, Task<object?>> Act)
    {
        public override string ToString() => Name;
    }

    private static readonly ReserveCommand Order = new("O1", [new("A", 12), new("B", 2)], HoldMinutes: 60);

    private static readonly ReceiptMessage Receipt = new("PO1", "GRN-1", "W1", "dock", [new("A", 6), new("B", 4, "BULK")]);
    private static readonly string[] ProductIds = ["A", "B"];
    private static readonly ReservationChangeCommand Shipment = new("O1", [new("A", 9), new("B", null)], Reference: "ship-1");

    /// <summary>Runs <paramref name="act"/> five minutes ago and kills it at its <paramref name="write"/>-th write: a saga recovery finds due.</summary>
    private static async Task LeftHalfDoneAsync(InventoryApplication a, int write, Func<InventoryApplication, Task> act)
    {
        var dying = new FaultyStore(a.Store);
        dying.Arm(write);
        await Assert.ThrowsAsync<StoreFaultException>(() => act(new InventoryApplication(dying, new ManualClock(Now.AddMinutes(-5)))));
    }

    public static readonly Operation[] Operations =
    [
        new("reserve", _ => Task.CompletedTask, async a => await a.Reserve.ExecuteAsync(Order)),
        new("reserve refused for stock, rolled back", _ => Task.CompletedTask,
            async a => await a.Reserve.ExecuteAsync(new ReserveCommand("O2", [new("A", 3), new("B", 50)]))),
        new("fulfil", async a => await a.Reserve.ExecuteAsync(Order),
            async a => await a.Fulfill.ExecuteAsync(Shipment)),
        new("release", async a => await a.Reserve.ExecuteAsync(Order),
            async a => await a.Release.ExecuteAsync(new ReservationChangeCommand("O1"))),
        new("receipt", _ => Task.CompletedTask,
            async a => await a.Receive.ExecuteAsync(new ReceiveCommand("A", "PICK", 5, "rcv-1"))),
        new("purchase-order receipt", _ => Task.CompletedTask,
            async a => await a.ReceivePurchaseOrder.ExecuteAsync(Receipt)),
        // Recovery: a fulfilment that died after its intent and product A's stock, before A's location load (writes:
        // open-saga entry, intent, A, A's load...), then RecoverOrders finishes it.
        new("recovery of a fulfilment", async a => { await a.Reserve.ExecuteAsync(Order); await LeftHalfDoneAsync(a, 4, x => x.Fulfill.ExecuteAsync(Shipment)); },
            async a => await a.RecoverOrders.ExecuteAsync()),
        // A reservation that died after claiming its header and reserving A (entry, header, hold, A), finished by RecoverOrders.
        new("recovery of a reservation", a => LeftHalfDoneAsync(a, 5, x => x.Reserve.ExecuteAsync(Order)),
            async a => await a.RecoverOrders.ExecuteAsync()),
        // A purchase-order receipt that died part-way (at its 4th write: open-saga entry, acceptance, line 0's stock, its
        // location load), finished by RecoverOrders from its open-saga entry.
        new("recovery of a purchase-order receipt", a => LeftHalfDoneAsync(a, 4, x => x.ReceivePurchaseOrder.ExecuteAsync(Receipt)),
            async a => await a.RecoverOrders.ExecuteAsync()),
    ];


    /// <summary>Every operation, crashed on each side of its writes, on a store as Table Storage lays it out and as Cosmos DB does (capped partitions: headers in their orders' own).</summary>
    public static TheoryData<string, FaultSide, bool> Cases()
    {
        var data = new TheoryData<string, FaultSide, bool>();
        foreach (var op in Operations)
            foreach (var side in Enum.GetValues<FaultSide>())
                foreach (var capped in new[] { false, true })
                    data.Add(op.Name, side, capped);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_crash_at_any_write_then_a_retry_on_a_fresh_instance_ends_as_one_clean_run(string operation, FaultSide side, bool capped)
    {
        var op = Operations.Single(o => o.Name == operation);
        var (clean, writes) = await CleanRunAsync(op, capped);

        await CrashMatrix.EveryWriteAsync(writes, async crash =>
        {
            var (store, faulty) = await ArrangedAsync(op, capped);
            await CrashMatrix.CrashAsync(faulty, crash, () => op.Act(Fresh(faulty)));
            var retried = await OutcomeAsync(op.Act(Fresh(faulty)));

            Assert.Equal(clean.Outcome, retried);
            Assert.Equal(clean.Loads, await LoadsAsync(store)); // said apart for a clear message; also in the state below
            CrashMatrix.AssertSame(clean.State, await StateAsync(store), $"{operation}, {crash}");
            foreach (var product in ProductIds) await new StockScenario(Fresh(store)).AssertBooksBalanceAsync(product);
        }, side);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_retry_that_crashes_too_is_completed_by_the_next_one(string operation, FaultSide side, bool capped)
    {
        var op = Operations.Single(o => o.Name == operation);
        var (clean, writes) = await CleanRunAsync(op, capped);

        await CrashMatrix.EveryWriteAsync(writes, async first =>
        {
            for (var second = 1; second <= writes; second++)
            {
                var (store, faulty) = await ArrangedAsync(op, capped);
                await CrashMatrix.CrashAsync(faulty, first, () => op.Act(Fresh(faulty)));
                faulty.Arm(second, side);
                var crash = await Record.ExceptionAsync(() => op.Act(Fresh(faulty)));
                if (crash is not StoreFaultException) continue; // the retry wrote fewer times than that: covered by the test above
                faulty.Arm();
                Assert.Equal(clean.Outcome, await OutcomeAsync(op.Act(Fresh(faulty))));
                CrashMatrix.AssertSame(clean.State, await StateAsync(store), $"{operation}, {first}, then at retry write {second}");
            }
        }, side);
    }

    private static InventoryApplication Fresh(IDocumentStore store) => new(store, new ManualClock(Now));

    /// <summary>W1 with a pick face and bulk, products A (5 at PICK, 10 at BULK) and B (3 at BULK), PO1 confirmed for both.</summary>
    private static async Task<(InMemoryDocumentStore Store, FaultyStore Faulty)> ArrangedAsync(Operation op, bool capped)
    {
        var store = new InMemoryDocumentStore();
        var faulty = new FaultyStore(capped ? new CappedPartitionsStore(store) : store);
        var app = Fresh(faulty);
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "W1", Name = "W1" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "PICK", WarehouseId = "W1", Type = LocationType.PickFace, MaxWeightKg = 50, MaxVolumeCubicCm = 1_000_000 });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "BULK", WarehouseId = "W1", Type = LocationType.Bulk, MaxWeightKg = 1000, MaxVolumeCubicCm = 10_000_000 });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "A", Name = "a", UnitWeightGrams = 1000, Dimensions = new(10, 10, 10) });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "B", Sku = "B", Name = "b", UnitWeightGrams = 200, Dimensions = new(5, 5, 5) });
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "PICK", 5, "open-a-pick"));
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 10, "open-a-bulk"));
        await app.Receive.ExecuteAsync(new ReceiveCommand("B", "BULK", 3, "open-b-bulk"));
        await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO1", "S1", "W1", new DateOnly(2026, 12, 1), [new OrderLine("A", 20), new OrderLine("B", 10)]));
        await app.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Send);
        await app.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Confirm);
        await op.Arrange(app);
        faulty.Arm();
        return (store, faulty);
    }

    private static async Task<((string Outcome, IReadOnlyDictionary<string, string> State, IReadOnlyDictionary<string, LocationLoad> Loads) Clean, int Writes)>
        CleanRunAsync(Operation op, bool capped)
    {
        var (store, faulty) = await ArrangedAsync(op, capped);
        var outcome = await OutcomeAsync(op.Act(Fresh(faulty)));
        return ((outcome, await StateAsync(store), await LoadsAsync(store)), faulty.Commits);
    }

    private static async Task<IReadOnlyDictionary<string, LocationLoad>> LoadsAsync(InMemoryDocumentStore store) =>
        (await Fresh(store).LocationLoads.ReadAsync("W1")).ToDictionary(l => l.LocationId, StringComparer.Ordinal);

    /// <summary>What a caller learns: the error's type, or success (a replay's "created: false" is the same outcome).</summary>
    private static async Task<string> OutcomeAsync(Task<object?> act)
    {
        try { await act; return "ok"; }
        catch (DomainException e) { return e.GetType().Name; }
    }

    /// <summary>Every document the operations touch (ETags differ by design): products, warehouse (location loads), orders, open sagas, holds, the PO.</summary>
    private static Task<IReadOnlyDictionary<string, string>> StateAsync(InMemoryDocumentStore store) =>
        CrashMatrix.StateAsync(store, [
            (Collection.Products, "A"), (Collection.Products, "B"), (Collection.Warehouses, "W1"),
            (Collection.Orders, "O1"), (Collection.Orders, "O2"), (Collection.PurchaseOrders, "PO1"),
            (Collection.Holds, Now.AddMinutes(60).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)),
            .. Enumerable.Range(0, 16).Select(i => (Collection.Orders, $"open|{i:D2}")), // the open-saga index: empty at the end
            .. OrderHeaders.HeaderPartitions().Select(p => (Collection.Orders, p)), // the headers (O1's, O2's)
        ]);
}
