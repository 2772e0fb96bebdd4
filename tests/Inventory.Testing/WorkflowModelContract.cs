using System.Collections.Concurrent;
using System.Globalization;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Xunit;
using Xunit.Abstractions;

namespace Inventory.Testing;

/// <summary>
/// The model-based concurrency test of issue 12: a seeded random mix of every stock workflow (reserve all-or-nothing,
/// partial or with a hold; fulfil; release; adjust; transfer; receipt; purchase-order receipt; purchase-order cancel;
/// hold expiry; replays of earlier requests) over several products, run concurrently from two application instances on
/// one store, one coalescing and one not. Recovery then finishes whatever a transient failure left open, and the end
/// state must satisfy the model: the audit holds on every product, every order is whole (reserved on all its products,
/// or holding nothing anywhere), each purchase order records exactly what its receipts put in stock (summed from the
/// ledger), and the location loads equal the balances. The seed is printed; <c>INVENTORY_MODEL_SEED</c> replays the same
/// mix (the interleaving stays the machine's). A store's test class derives from this and supplies the store.
/// </summary>
public abstract class WorkflowModelContract(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Warehouse = "MW";
    private static readonly string[] Products = ["M1", "M2", "M3", "M4"];
    private static readonly string[] Locations = ["M-PICK", "M-BULK", "M-BULK2", "M-OVF"];
    private static readonly string[] PurchaseOrders = ["MPO1", "MPO2", "MPO3", "MPO4"];
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private IDocumentStore? store;
    private readonly SteppingClock clock = new(Start);

    /// <summary>The store to run on, or null when it is not reachable here (the test then skips with <see cref="SkipReason"/>).</summary>
    protected abstract Task<IDocumentStore?> CreateStoreAsync();

    /// <summary>Another client of the same data, as a second host would have (by default the same client).</summary>
    protected virtual Task<IDocumentStore> ConnectAgainAsync(IDocumentStore store) => Task.FromResult(store);

    protected virtual Task DropStoreAsync(IDocumentStore store) => Task.CompletedTask;

    protected virtual string SkipReason => "The store is not reachable here.";

    /// <summary>Requests in the mix.</summary>
    protected abstract int Requests { get; }

    /// <summary>Whether the store is slow enough that the instances must have lost races to each other (not an in-memory store).</summary>
    protected virtual bool ExpectLostRaces => true;

    /// <summary>Requests in flight at once, over both instances.</summary>
    protected virtual int InFlight => 8;

    public async Task InitializeAsync()
    {
        store = await CreateStoreAsync();
        if (store is null) return;
        var app = Instance(store, coalesce: true);
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = Warehouse, Name = "Model warehouse" });
        for (var i = 0; i < Locations.Length; i++)
            await app.SaveLocation.ExecuteAsync(new Location
            {
                LocationId = Locations[i], WarehouseId = Warehouse, MaxWeightKg = 500, MaxVolumeCubicCm = 2_000_000,
                Type = Locations[i] switch { "M-PICK" => LocationType.PickFace, "M-OVF" => LocationType.Overflow, _ => LocationType.Bulk },
            });
        for (var i = 0; i < Products.Length; i++)
        {
            await app.SaveProduct.ExecuteAsync(new Product
            {
                ProductId = Products[i], Sku = "SKU-" + Products[i], Name = Products[i], UnitWeightGrams = 100 * (i + 1), Dimensions = new(10 + i, 10, 10),
            });
            await app.Receive.ExecuteAsync(new ReceiveCommand(Products[i], "M-BULK", 30, "open-bulk-" + Products[i]));
            await app.Receive.ExecuteAsync(new ReceiveCommand(Products[i], "M-PICK", 10, "open-pick-" + Products[i]));
        }
        for (var i = 0; i < PurchaseOrders.Length; i++)
        {
            await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand(PurchaseOrders[i], "S1", Warehouse, new DateOnly(2026, 12, 1),
                [new OrderLine(Products[i], 20), new OrderLine(Products[(i + 1) % Products.Length], 20)]));
            await app.ChangePurchaseOrderStatus.ExecuteAsync(PurchaseOrders[i], PurchaseOrderAction.Send);
            await app.ChangePurchaseOrderStatus.ExecuteAsync(PurchaseOrders[i], PurchaseOrderAction.Confirm);
        }
    }

    public Task DisposeAsync() => store is null ? Task.CompletedTask : DropStoreAsync(store);

    private InventoryApplication Instance(IDocumentStore over, bool coalesce) =>
        new(over, clock, new ConcurrencyOptions { Coalesce = coalesce }) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 60 } };

    /// <summary>One request of the mix: what it is (for the report) and how to run it on an instance.</summary>
    private sealed record Request(string Kind, string What, Func<InventoryApplication, Task> Run);

    [SkippableFact]
    public async Task A_random_mix_of_every_workflow_from_two_instances_leaves_every_invariant_of_the_model_true()
    {
        Skip.If(store is null, SkipReason);
        var seed = Environment.GetEnvironmentVariable("INVENTORY_MODEL_SEED") is { Length: > 0 } s
            ? int.Parse(s, CultureInfo.InvariantCulture) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (INVENTORY_MODEL_SEED={seed} replays this mix), {Requests} requests, {InFlight} in flight");
        var (requests, orders) = Mix(new Random(seed));

        var apps = new[] { Instance(store!, coalesce: true), Instance(await ConnectAgainAsync(store!), coalesce: false) };
        var refusals = new ConcurrentDictionary<string, int>();
        var unexpected = new ConcurrentQueue<string>();
        var examples = new ConcurrentDictionary<string, string>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests.Select((r, i) => (r, i)), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (x, ct) =>
        {
            try { await x.r.Run(apps[x.i % apps.Length]); refusals.AddOrUpdate(x.r.Kind + ": ok", 1, (_, n) => n + 1); }
            catch (DomainException e)
            {
                refusals.AddOrUpdate($"{x.r.Kind}: {e.Code}", 1, (_, n) => n + 1);
                examples.TryAdd($"{x.r.Kind}: {e.Code}", $"#{x.i} {x.r.What}: {e.Message}");
            }
            catch (Exception e) { unexpected.Enqueue($"#{x.i} {x.r.Kind} {x.r.What}: {e.GetType().Name}: {e.Message}"); }
        });
        output.WriteLine($"mix ran in {started.Elapsed.TotalSeconds:F1} s; lost races: {apps.Sum(a => a.Statistics.Conflicts)}");
        foreach (var (outcome, count) in refusals.OrderBy(r => r.Key, StringComparer.Ordinal))
            output.WriteLine($"  {outcome}: {count}{(examples.TryGetValue(outcome, out var example) ? $" (e.g. {example})" : "")}");
        Assert.True(unexpected.IsEmpty, "errors that are no refusal:\n" + string.Join("\n", unexpected));
        if (ExpectLostRaces) Assert.True(apps.Sum(a => a.Statistics.Conflicts) > 0, "the two instances never met on one state: the mix proved nothing about races");

        // Whatever a transient failure (contention given up on) left open is finished, as the timers would.
        clock.Advance(TimeSpan.FromMinutes(5));
        var check = Instance(store!, coalesce: false);
        var recovered = await check.RecoverOrders.ExecuteAsync();
        Assert.Equal(0, recovered.Failed);
        foreach (var po in PurchaseOrders) await check.ReceivePurchaseOrder.ResumeAsync(po);
        await foreach (var open in check.Orders.OpenSagasAsync(default)) Assert.Fail($"saga {open.Kind} of {open.OrderId} still open after recovery");

        await AssertBooksBalanceAsync(check);
        await AssertEveryOrderWholeAsync(check, orders);
        await AssertPurchaseOrdersMatchTheLedgerAsync(check);
        await AssertLoadsMatchBalancesAsync(check);
    }

    private (IReadOnlyList<Request> Requests, IReadOnlyList<string> Orders) Mix(Random r)
    {
        var requests = new List<Request>();
        var orders = new List<(string OrderId, string[] Products)>();
        string Product() => Products[r.Next(Products.Length)];
        string Location(bool overflowToo = true) => Locations[r.Next(overflowToo ? Locations.Length : Locations.Length - 1)];
        for (var i = 0; requests.Count < Requests; i++)
        {
            var roll = r.Next(100);
            if (roll < 24 || orders.Count == 0)
            {
                var id = $"MO{i}";
                var lines = Products.OrderBy(_ => r.Next()).Take(r.Next(1, 4)).Select(p => new OrderLine(p, r.Next(1, 7))).ToArray();
                var command = new ReserveCommand(id, lines, Policy: r.Next(5) == 0 ? ReservationPolicy.Partial : ReservationPolicy.AllOrNothing,
                    HoldMinutes: r.Next(3) == 0 ? 1 : null);
                orders.Add((id, lines.Select(l => l.ProductId).ToArray()));
                requests.Add(new("reserve", $"{id} {string.Join(",", lines.Select(l => $"{l.ProductId}:{l.Quantity}"))}", a => a.Reserve.ExecuteAsync(command)));
            }
            else if (roll < 52)
            {
                var (orderId, products) = orders[r.Next(orders.Count)];
                var lines = r.Next(3) == 0 ? null
                    : products.OrderBy(_ => r.Next()).Take(r.Next(1, products.Length + 1))
                        .Select(p => new ReservationLineChange(p, r.Next(3) == 0 ? null : r.Next(1, 4))).ToArray();
                var command = new ReservationChangeCommand(orderId, lines, r.Next(2) == 0 ? $"ref{i}" : null);
                var fulfil = roll < 42;
                requests.Add(new(fulfil ? "fulfil" : "release", $"{orderId} {command.Reference}",
                    a => fulfil ? a.Fulfill.ExecuteAsync(command) : a.Release.ExecuteAsync(command)));
            }
            else if (roll < 60)
            {
                var command = new AdjustCommand(Product(), Location(), r.Next(2) == 0 ? -r.Next(1, 5) : r.Next(1, 7), null, "model", $"adj{i}");
                requests.Add(new("adjust", $"{command.ProductId}@{command.LocationId} {command.Delta}", a => a.Adjust.ExecuteAsync(command)));
            }
            else if (roll < 68)
            {
                var from = Location();
                var to = Locations.Where(l => l != from).ElementAt(r.Next(Locations.Length - 1));
                var command = new TransferCommand(Product(), from, to, r.Next(1, 6), $"trf{i}");
                requests.Add(new("transfer", $"{command.ProductId} {from}->{to} {command.Quantity}", a => a.Transfer.ExecuteAsync(command)));
            }
            else if (roll < 75)
            {
                var command = new ReceiveCommand(Product(), Location(overflowToo: false), r.Next(1, 9), $"rcv{i}");
                requests.Add(new("receipt", $"{command.ProductId}@{command.LocationId} {command.Quantity}", a => a.Receive.ExecuteAsync(command)));
            }
            else if (roll < 86)
            {
                var po = r.Next(PurchaseOrders.Length);
                var poProducts = new[] { Products[po], Products[(po + 1) % Products.Length] };
                var lines = poProducts.Take(r.Next(1, 3)).Select(p => new ReceiptMessageLine(p, r.Next(1, 9), r.Next(2) == 0 ? null : Location(overflowToo: false))).ToArray();
                var message = new ReceiptMessage(PurchaseOrders[po], $"grn{i}", Warehouse, "dock", lines);
                requests.Add(new("po receipt", $"{message.PoId} {message.ReceiptId}", a => a.ReceivePurchaseOrder.ExecuteAsync(message)));
            }
            else if (roll < 87 && requests.Count > Requests / 2) // cancels late: receipts have orders to land on first
            {
                var po = PurchaseOrders[r.Next(PurchaseOrders.Length)];
                requests.Add(new("po cancel", po, a => a.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Cancel)));
            }
            else if (roll < 91)
            {
                requests.Add(new("hold expiry", "", async a => { clock.Advance(TimeSpan.FromMinutes(2)); await a.ExpireHolds.ExecuteAsync(); }));
            }
            else if (requests.Count > 0)
            {
                var again = requests[r.Next(requests.Count)];
                if (again.Kind is not ("hold expiry" or "replay")) requests.Add(again with { Kind = "replay" }); // the same request delivered twice
            }
        }
        return (requests, orders.Select(o => o.OrderId).ToArray());
    }

    private static async Task AssertBooksBalanceAsync(InventoryApplication app)
    {
        foreach (var product in Products)
        {
            var report = await app.Invariants.CheckAsync(product);
            Assert.True(report.Holds, $"{product}: " + string.Join("\n", report.Violations));
            Assert.Empty(report.Shortages);
            Assert.All((await app.Stock.GetStockAsync(product)).Locations, l => Assert.InRange(l.QuantityReserved, 0, l.QuantityOnHand));
        }
    }

    /// <summary>Reserved on every product it names, or (refused, or never claimed) holding nothing on any of them.</summary>
    private static async Task AssertEveryOrderWholeAsync(InventoryApplication app, IReadOnlyList<string> orders)
    {
        foreach (var orderId in orders)
        {
            var order = await app.Orders.FindAsync(orderId, default);
            if (order is null) continue; // refused before its header was claimed: nothing was written for it
            // One product, no saga (issue 14): its product's reservation is the whole order; none yet (a transient failure
            // the caller did not retry) is PENDING and holds nothing.
            if (order.DecidedByProduct) continue;
            Assert.True(order.IsTerminal, $"{orderId} is {order.State} after recovery");
            var reservations = await app.Orders.ReservationsAsync(order, default);
            if (order.State == OrderSagaState.Reserved)
                Assert.True(order.Lines.All(l => reservations.GetValueOrDefault(l.ProductId) is not null),
                    $"{orderId} is reserved but has no reservation of {string.Join(", ", order.Lines.Where(l => reservations.GetValueOrDefault(l.ProductId) is null).Select(l => l.ProductId))}");
            else
                Assert.True(reservations.Values.All(r => r is null || r.Remaining == 0 || r.Status != ReservationStatus.Active),
                    $"{orderId} was refused ({order.Refusal?.Code}) but still holds stock: " +
                    string.Join(", ", reservations.Values.OfType<ProductReservation>().Where(r => r.Status == ReservationStatus.Active).Select(r => $"{r.ProductId}: {r.Remaining}")));
        }
    }

    /// <summary>Per purchase order and product: what the order records received equals the RECEIVE entries its receipts wrote.</summary>
    private static async Task AssertPurchaseOrdersMatchTheLedgerAsync(InventoryApplication app)
    {
        var received = new Dictionary<(string PoId, string ProductId), long>();
        var ledger = new StockScenario(app);
        foreach (var product in Products)
            foreach (var entry in (await ledger.LedgerAsync(product)).Where(e => e.TxnType == TxnType.Receive))
                foreach (var po in PurchaseOrders.Where(po => entry.ReferenceId.StartsWith($"po|{po}|", StringComparison.Ordinal)))
                    received[(po, product)] = received.GetValueOrDefault((po, product)) + entry.Quantity;
        foreach (var poId in PurchaseOrders)
        {
            var po = await app.PurchaseOrders.GetAsync(poId);
            Assert.Empty(po.PendingReceipts);
            foreach (var line in po.Lines)
            {
                Assert.True(line.QuantityReceived <= line.QuantityOrdered, $"{poId} received {line.QuantityReceived} of {line.ProductId}, ordered {line.QuantityOrdered}");
                Assert.True(line.QuantityReceived == received.GetValueOrDefault((poId, line.ProductId)),
                    $"{poId} ({po.Status}) records {line.QuantityReceived} of {line.ProductId} received, its receipts put {received.GetValueOrDefault((poId, line.ProductId))} in stock");
            }
        }
    }

    private static async Task AssertLoadsMatchBalancesAsync(InventoryApplication app)
    {
        var expected = Locations.ToDictionary(l => l, _ => (Grams: 0L, CubicMm: 0L));
        foreach (var productId in Products)
        {
            var product = (await app.Committer.LoadAsync(productId, StockRead.BalancesOnly, default)).Stock.Product;
            foreach (var l in (await app.Stock.GetStockAsync(productId)).Locations)
            {
                var (grams, cubicMm) = PutAwayPlanner.Need(product, l.QuantityOnHand);
                expected[l.LocationId] = (expected[l.LocationId].Grams + grams, expected[l.LocationId].CubicMm + cubicMm);
            }
        }
        var loads = (await app.LocationLoads.ReadAsync(Warehouse)).ToDictionary(l => l.LocationId, l => (Grams: l.WeightGrams, CubicMm: l.VolumeCubicMm));
        foreach (var location in Locations)
            Assert.True(expected[location] == loads.GetValueOrDefault(location),
                $"{location}: the loads say {loads.GetValueOrDefault(location)}, the balances {expected[location]}");
    }

    /// <summary>A clock the requests share and hold expiry moves forward, safe across threads.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private long ticks = start.UtcTicks;
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);
        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }
}
