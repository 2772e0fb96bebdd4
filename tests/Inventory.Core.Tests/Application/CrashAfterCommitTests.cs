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
/// landed while the caller saw an error (a lost acknowledgement). The retry runs on a fresh application instance, as
/// after a restart, with no cache surviving. Then the product partitions (balances, reservations, operation records,
/// ledger entry by entry), the order header, the hold index and the purchase order must equal one clean run.
/// Location loads are advisory and updated by a second commit after the stock one; a crash between the two leaves them
/// short of that one movement (docs/architecture.md), so they must lie between where they started and the clean run's
/// (never beyond: a movement applied twice fails). Catching them up after a crash belongs to the workflows issue (12).
/// </summary>
public class CrashAfterCommitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public sealed record Operation(string Name, Func<InventoryApplication, Task> Arrange, Func<InventoryApplication, Task<object?>> Act)
    {
        public override string ToString() => Name;
    }

    private static readonly ReserveCommand Order = new("O1", [new("A", 12), new("B", 2)], HoldMinutes: 60);

    public static readonly Operation[] Operations =
    [
        new("reserve", _ => Task.CompletedTask, async a => await a.Reserve.ExecuteAsync(Order)),
        new("reserve refused for stock, rolled back", _ => Task.CompletedTask,
            async a => await a.Reserve.ExecuteAsync(new ReserveCommand("O2", [new("A", 3), new("B", 50)]))),
        new("fulfil", async a => await a.Reserve.ExecuteAsync(Order),
            async a => await a.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 9), new("B", null)], Reference: "ship-1"))),
        new("release", async a => await a.Reserve.ExecuteAsync(Order),
            async a => await a.Release.ExecuteAsync(new ReservationChangeCommand("O1"))),
        new("receipt", _ => Task.CompletedTask,
            async a => await a.Receive.ExecuteAsync(new ReceiveCommand("A", "PICK", 5, "rcv-1"))),
        new("purchase-order receipt", _ => Task.CompletedTask,
            async a => await a.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "GRN-1", "W1", "dock", [new("A", 6), new("B", 4, "BULK")]))),
    ];

    public static TheoryData<string, FaultSide> Cases()
    {
        var data = new TheoryData<string, FaultSide>();
        foreach (var op in Operations)
            foreach (var side in Enum.GetValues<FaultSide>())
                data.Add(op.Name, side);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_crash_at_any_write_then_a_retry_on_a_fresh_instance_ends_as_one_clean_run(string operation, FaultSide side)
    {
        var op = Operations.Single(o => o.Name == operation);
        var (clean, writes) = await CleanRunAsync(op);
        Assert.True(writes > 0, "the operation writes nothing: nothing to crash");

        for (var at = 1; at <= writes; at++)
        {
            var (store, faulty) = await ArrangedAsync(op);
            var before = await LoadsAsync(store);
            faulty.Arm(at, side);
            var crash = await Record.ExceptionAsync(() => op.Act(Fresh(faulty)));
            Assert.True(crash is StoreFaultException, $"{operation}, {side} at write {at}/{writes}: expected the injected fault, got {crash?.GetType().Name ?? "success"}");
            faulty.Arm();
            var retried = await OutcomeAsync(op.Act(Fresh(faulty)));

            Assert.Equal(clean.Outcome, retried);
            AssertSame(clean.State, await StateAsync(store), $"{operation}, {side} at write {at}/{writes}");
            AssertLoadsBetween(before, clean.Loads, await LoadsAsync(store), $"{operation}, {side} at write {at}/{writes}");
            foreach (var product in new[] { "A", "B" }) await new StockScenario(Fresh(store)).AssertBooksBalanceAsync(product);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_retry_that_crashes_too_is_completed_by_the_next_one(string operation, FaultSide side)
    {
        var op = Operations.Single(o => o.Name == operation);
        var (clean, writes) = await CleanRunAsync(op);

        for (var first = 1; first <= writes; first++)
            for (var second = 1; second <= writes; second++)
            {
                var (store, faulty) = await ArrangedAsync(op);
                faulty.Arm(first, side);
                await Record.ExceptionAsync(() => op.Act(Fresh(faulty)));
                faulty.Arm(second, side);
                var crash = await Record.ExceptionAsync(() => op.Act(Fresh(faulty)));
                if (crash is not StoreFaultException) continue; // the retry wrote fewer times than that: covered by the test above
                faulty.Arm();
                Assert.Equal(clean.Outcome, await OutcomeAsync(op.Act(Fresh(faulty))));
                AssertSame(clean.State, await StateAsync(store), $"{operation}, {side} at write {first}, then at retry write {second}");
            }
    }

    private static InventoryApplication Fresh(IDocumentStore store) => new(store, new ManualClock(Now));

    /// <summary>W1 with a pick face and bulk, products A (5 at PICK, 10 at BULK) and B (3 at BULK), PO1 confirmed for both.</summary>
    private static async Task<(InMemoryDocumentStore Store, FaultyStore Faulty)> ArrangedAsync(Operation op)
    {
        var store = new InMemoryDocumentStore();
        var faulty = new FaultyStore(store);
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
        CleanRunAsync(Operation op)
    {
        var (store, faulty) = await ArrangedAsync(op);
        var outcome = await OutcomeAsync(op.Act(Fresh(faulty)));
        return ((outcome, await StateAsync(store), await LoadsAsync(store)), faulty.Commits);
    }

    private static async Task<IReadOnlyDictionary<string, LocationLoad>> LoadsAsync(InMemoryDocumentStore store) =>
        (await Fresh(store).LocationLoads.ReadAsync("W1")).ToDictionary(l => l.LocationId, StringComparer.Ordinal);

    private static void AssertLoadsBetween(IReadOnlyDictionary<string, LocationLoad> before, IReadOnlyDictionary<string, LocationLoad> clean,
        IReadOnlyDictionary<string, LocationLoad> actual, string when)
    {
        foreach (var location in before.Keys.Union(clean.Keys).Union(actual.Keys))
        {
            long Weight(IReadOnlyDictionary<string, LocationLoad> loads) => loads.TryGetValue(location, out var l) ? l.WeightGrams : 0;
            long Volume(IReadOnlyDictionary<string, LocationLoad> loads) => loads.TryGetValue(location, out var l) ? l.VolumeCubicMm : 0;
            Assert.True(Weight(actual) >= Math.Min(Weight(before), Weight(clean)) && Weight(actual) <= Math.Max(Weight(before), Weight(clean))
                && Volume(actual) >= Math.Min(Volume(before), Volume(clean)) && Volume(actual) <= Math.Max(Volume(before), Volume(clean)),
                $"{when}: the load of {location} is {Weight(actual)} g / {Volume(actual)} mm³, outside [{Weight(before)}, {Weight(clean)}] g / [{Volume(before)}, {Volume(clean)}] mm³");
        }
    }

    /// <summary>What a caller learns: the error's type, or success (a replay's "created: false" is the same outcome).</summary>
    private static async Task<string> OutcomeAsync(Task<object?> act)
    {
        try { await act; return "ok"; }
        catch (DomainException e) { return e.GetType().Name; }
    }

    /// <summary>Every document the operations touch, by collection, partition and id, with its body (ETags differ by design).</summary>
    private static async Task<IReadOnlyDictionary<string, string>> StateAsync(InMemoryDocumentStore store)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        (Collection, string)[] partitions =
        [
            (Collection.Products, "A"), (Collection.Products, "B"), (Collection.Orders, "O1"), (Collection.Orders, "O2"),
            (Collection.PurchaseOrders, "PO1"), (Collection.Holds, Now.AddMinutes(60).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)),
        ];
        foreach (var (collection, partition) in partitions)
        {
            string? token = null;
            do
            {
                var page = await store.QueryAsync(collection, partition, "", 100, token);
                foreach (var d in page.Documents) state[$"{collection}/{partition}/{d.Id}"] = d.Body;
                token = page.ContinuationToken;
            } while (token is not null);
        }
        return state;
    }

    private static void AssertSame(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual, string when)
    {
        var missing = expected.Keys.Except(actual.Keys).ToArray();
        var extra = actual.Keys.Except(expected.Keys).ToArray();
        var differing = expected.Keys.Intersect(actual.Keys).Where(k => expected[k] != actual[k])
            .Select(k => $"{k}:\n  clean: {expected[k]}\n  after: {actual[k]}").ToArray();
        Assert.True(missing.Length + extra.Length + differing.Length == 0,
            $"{when}: missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}], differing:\n{string.Join("\n", differing)}");
    }
}
