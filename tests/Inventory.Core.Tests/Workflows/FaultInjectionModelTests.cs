using System.Globalization;
using Inventory.Application;
using Inventory.Application.Counts;
using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;
using Xunit.Abstractions;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// A seeded random mix of every stock workflow (orders of several products and of one, fulfil and release, holds that
/// expire, transfers, adjustments, receipts, purchase-order receipts and cancels, stock counts, two products in escrow
/// buckets) from two application instances on one store, where 5 to 10 % of the store's calls fail: before a commit is
/// applied, or after it landed with its answer lost; as a crash (<see cref="StoreFaultException"/>: the instance is
/// replaced by a fresh one, as after a restart), as the store being unavailable (the process carries on), or as the
/// store's client sending a landed commit again and hearing a lost race. The client retries a failed request with the
/// same ids some of the time and gives it up otherwise. Then the sweeps (order recovery, hold expiry, escrow recovery,
/// purchase-order receipts) run, with faults, then without until quiet, and the model must hold: the audit (quick and
/// full) on every product, the ledger summing to the balances with no entry twice, every order whole, no order held twice
/// on a product, no expired hold held, every open saga ended, every purchase order matching its receipts in the ledger,
/// every request answered, sent again, the same as its first answer, and (once the client sent again what it gave up on)
/// the location loads equal to the balances. The requests run one at a time, so a seed replays exactly (and four at a time, whose interleavings vary run to run)
/// (<c>INVENTORY_FAULT_SEED</c> runs one seed, <c>INVENTORY_FAULT_SEEDS=from:count</c> many, <c>INVENTORY_FAULT_RATE</c>
/// another rate, <c>INVENTORY_FAULT_JITTER=0..100</c> the percentage of store calls that yield first, for more interleavings).
/// </summary>
public class FaultInjectionModelTests(ITestOutputHelper output)
{
    private const string Warehouse = "MW";
    private static readonly HashSet<string> InEscrow = new(StringComparer.Ordinal) { "M1", "M2" };
    private static readonly string[] Products = ["M1", "M2", "M3", "M4"];
    private static readonly string[] Locations = ["M-PICK", "M-BULK", "M-BULK2", "M-OVF"];
    private static readonly string[] PurchaseOrders = ["MPO1", "MPO2", "MPO3", "MPO4"];
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private const int Requests = 300;
    private const string AlreadyApplied = "ok (applied before)";

    public static TheoryData<int> Seeds()
    {
        if (Environment.GetEnvironmentVariable("INVENTORY_FAULT_SEED") is { Length: > 0 } s) return [int.Parse(s, CultureInfo.InvariantCulture)];
        if (Environment.GetEnvironmentVariable("INVENTORY_FAULT_SEEDS") is { Length: > 0 } many)
        {
            var (from, count) = (int.Parse(many.Split(':')[0], CultureInfo.InvariantCulture), int.Parse(many.Split(':')[1], CultureInfo.InvariantCulture));
            var data = new TheoryData<int>();
            foreach (var seed in Enumerable.Range(from, count)) data.Add(seed);
            return data;
        }
        return [11, 23, 37, 41, 59, 73];
    }

    /// <summary>Fails a share of the calls it is given, decided from the seed and the call (its partition and document ids, and how often that call was made), so a seed fails the same calls.</summary>
    internal sealed class RandomFaults(IDocumentStore inner, int seed) : DelegatingStore(inner)
    {
        private readonly Dictionary<string, int> seen = new(StringComparer.Ordinal);
        public double Rate { get; set; }
        public int Injected { get; private set; }
        public List<string> Log { get; } = [];

        private (bool Fail, bool Crash, bool Lost, bool Resent) Draw(string call)
        {
            lock (seen)
            {
                var n = seen[call] = seen.GetValueOrDefault(call) + 1;
                if (Rate <= 0) return default;
                var r = new Random(HashCode.Combine(seed, Stable(call), n));
                if (r.NextDouble() >= Rate) return default;
                Injected++;
                var flavour = r.Next(3);
                return (true, flavour == 0, r.Next(2) == 0, flavour == 2);
            }
        }

        /// <summary>Percentage of store calls that yield first (a quarter as many again wait 1-2 ms); 0 (the default) yields none.</summary>
        private static readonly int Jitter = int.TryParse(Environment.GetEnvironmentVariable("INVENTORY_FAULT_JITTER"), CultureInfo.InvariantCulture, out var j) ? j : 0;

        /// <summary>
        /// The in-memory store answers synchronously, so four requests in flight interleave only where they wait (a backoff, a
        /// claim): on an idle machine few interleavings are met. Yielding on some calls lets requests overtake one another
        /// between any two store calls, as a real store's latency does (a reserve saga's recovery with its fence removed went
        /// unseen in 40 seeds without it on an idle machine, and was caught once in 40 with it at 50).
        /// </summary>
        private static async Task JitterAsync()
        {
            if (Jitter <= 0) return;
            var roll = Random.Shared.Next(100);
            if (roll < Jitter) await Task.Yield();
            else if (roll < Jitter + Jitter / 4) await Task.Delay(Random.Shared.Next(1, 3));
        }

        private static int Stable(string s)
        {
            unchecked
            {
                var h = (int)2166136261;
                foreach (var c in s) h = (h ^ c) * 16777619;
                return h;
            }
        }

        private Exception Fault(bool crash, FaultSide side, Collection collection, string partition, string call)
        {
            lock (seen) Log.Add($"{(crash ? "crash" : "unavailable")} {side} {call}");
            return crash ? new StoreFaultException(Injected, side, collection, partition)
                : new StoreUnavailableException("in-memory", $"Injected: {side} ({collection}/{partition}).");
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            var call = $"commit {collection}/{partition}: {string.Join(",", writes.Select(w => w.GetType().Name + ":" + w.Id).Order(StringComparer.Ordinal))}";
            await JitterAsync();
            var (fail, crash, lost, resent) = Draw(call);
            if (fail && !lost) throw Fault(crash, FaultSide.BeforeApplying, collection, partition, call);
            await base.CommitAsync(collection, partition, writes, ct);
            if (fail && resent)
            {
                // The answer was lost and the store's client sent the commit again (as the Table SDK does): the caller
                // hears what the store says to the second copy, a lost race (412, or 409 on a create) if it was conditioned.
                lock (seen) Log.Add($"resent {call}");
                await base.CommitAsync(collection, partition, writes, ct);
                return;
            }
            if (fail) throw Fault(crash, FaultSide.LostAcknowledgement, collection, partition, call);
        }

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken ct = default)
        {
            var call = $"read {collection}/{partition}: {string.Join(",", ids.Order(StringComparer.Ordinal))}|{string.Join(",", idPrefixes.Order(StringComparer.Ordinal))}";
            await JitterAsync();
            var (fail, crash, _, _) = Draw(call);
            if (fail && Stable(call + "read") % 3 == 0) throw Fault(crash, FaultSide.BeforeApplying, collection, partition, call); // reads fail a third as often
            return await base.ReadAsync(collection, partition, ids, idPrefixes, ct);
        }
    }

    /// <summary>One request of the mix: its id (its retries and replays share it), what it is, and how it runs, answering its outcome as text.</summary>
    private sealed record Request(string Key, string Kind, string What, Func<InventoryApplication, Task<string>> Run);

    private sealed class Hosts(IDocumentStore store, TimeProvider clock)
    {
        private readonly InventoryApplication?[] instances = new InventoryApplication?[2];
        public int Restarts { get; private set; }

        public InventoryApplication this[int slot] { get { lock (instances) return instances[slot] ??= New(slot); } }

        /// <summary>The instance died: the next request on this host goes to a fresh one.</summary>
        public void Crash(int slot) { lock (instances) { instances[slot] = null; Restarts++; } }

        public InventoryApplication New(int slot) => new(store, clock, new ConcurrencyOptions { Coalesce = slot == 0 })
        {
            OrderOptions = new OrderOptions { RecoverAfterSeconds = 60 },
            EscrowOptions = new EscrowOptions { Products = InEscrow, Buckets = 2, Bucket = slot + 1 },
        };
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task A_random_mix_with_store_faults_then_the_sweeps_leaves_every_invariant_of_the_model_true(int seed) => RunAsync(seed, inFlight: 1);

    /// <summary>
    /// Four requests in flight at once: the interleavings a seed meets then depend on timing. Taken out of CI on
    /// 2026-12-02 (morning), when about one run of 40 seeds in ten failed under load; back once its four causes were
    /// fixed (the afternoon's tests in this folder and in Application: a reserve saga's claim fenced by recovery, an
    /// expired hold's fence, a change answered as its twin's recorded intent, a movement refused on a state its twin
    /// passed), after 200 seeds passed four at a time under load.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public Task Four_requests_in_flight_with_store_faults_then_the_sweeps_leave_every_invariant_of_the_model_true(int seed) => RunAsync(seed, inFlight: 4);

    private async Task RunAsync(int seed, int inFlight)
    {
        output.WriteLine($"seed {seed} (INVENTORY_FAULT_SEED={seed} runs it alone), {Requests} requests");
        var memory = new InMemoryDocumentStore();
        var faults = new RandomFaults(memory, seed);
        var clock = new SteppingClock(Start);
        var hosts = new Hosts(faults, clock);
        await ArrangeAsync(hosts[0]);

        var random = new Random(seed);
        var (requests, orders) = Mix(random, clock);
        var first = new Dictionary<string, string>(StringComparer.Ordinal); // the first answer each request got
        var mismatches = new List<string>();
        var unexpected = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        faults.Rate = Environment.GetEnvironmentVariable("INVENTORY_FAULT_RATE") is { Length: > 0 } rate ? double.Parse(rate, CultureInfo.InvariantCulture) : 0.05 + seed % 6 * 0.01; // 5 to 10 % of the store's calls
        output.WriteLine($"fault rate {faults.Rate:P0}");

        var plans = requests.Select(_ => (Slot: random.Next(2), Draws: Enumerable.Range(0, 8).Select(_ => random.Next(100)).ToArray())).ToArray();
        var gate = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (i, _) =>
        {
            var request = requests[i];
            var (slot, draws) = plans[i];
            clock.Advance(TimeSpan.FromSeconds(1));
            for (var attempt = 1; ; attempt++)
            {
                var (answer, fault) = await SendAsync(request, hosts[slot]);
                lock (gate)
                {
                    if (fault is null)
                    {
                        var said = $"{request.Kind}: {answer!.Split(' ')[0]}";
                        outcomes[said] = outcomes.GetValueOrDefault(said) + 1;
                        Compare(request, answer!, $"#{i} attempt {attempt}");
                        return;
                    }
                    outcomes[$"{request.Kind}: fault"] = outcomes.GetValueOrDefault($"{request.Kind}: fault") + 1;
                    if (fault is StoreFaultException) hosts.Crash(slot);
                    else if (fault is not (StoreFailureException or ConcurrencyExhaustedException or InvalidStateException { RetryLater: true }))
                    {
                        unexpected.Add($"#{i} {request.Kind} {request.What}: {fault.GetType().Name}: {fault.Message}");
                        return;
                    }
                }
                if (attempt >= 4 || draws[attempt] < 35) return; // the client gives up
                clock.Advance(TimeSpan.FromSeconds(4)); // past a claimant's exclusive time
                slot = draws[attempt + 4] % 2;
            }
        });
        output.WriteLine($"mix: {faults.Injected} faults injected, {hosts.Restarts} restarts");
        foreach (var (outcome, count) in outcomes) output.WriteLine($"  {outcome}: {count}");

        // The sweeps, as the timers run them: first while the store still fails now and then, then on a healthy store until quiet.
        for (var round = 0; round < 3; round++) await SweepAsync(hosts, clock, faults, tolerateFaults: true);
        faults.Rate = 0;
        var check = hosts.New(0);
        for (var round = 0; ; round++)
        {
            var recovered = await SweepAsync(hosts, clock, faults, tolerateFaults: false);
            Assert.Equal(0, recovered.Failed);
            if (recovered.Due == 0) break;
            Assert.True(round < 5, $"recovery still finds {recovered.Due} sagas due after {round} rounds");
        }
        await foreach (var open in check.Orders.OpenSagasAsync(default)) Assert.Fail($"seed {seed}: saga {open.Kind} of {open.OrderId} still open after recovery");

        Assert.True(unexpected.Count == 0, $"seed {seed}: errors that are neither a refusal nor a store failure:\n" + string.Join("\n", unexpected));

        // Every request answered before, sent again: the same answer.
        foreach (var request in requests.DistinctBy(r => r.Key))
        {
            if (!first.ContainsKey(request.Key)) continue;
            var (answer, fault) = await SendAsync(request, check);
            Assert.Null(fault);
            Compare(request, answer!, "sent again after recovery");
        }
        Assert.True(mismatches.Count == 0, $"seed {seed}: a request sent again was answered otherwise than the first time:\n" + string.Join("\n", mismatches));

        await AssertBooksBalanceAsync(check, memory, seed);
        await AssertOrdersWholeAndHeldOnceAsync(check, orders, seed);
        await AssertPurchaseOrdersMatchTheLedgerAsync(check, seed);

        // At last the client sends again what it gave up on too (a replay brings the location loads up to date), and the sweeps run once more.
        foreach (var request in requests.DistinctBy(r => r.Key).Where(r => !first.ContainsKey(r.Key)))
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var (_, fault) = await SendAsync(request, check);
            Assert.True(fault is null, $"seed {seed}: {request.Kind} {request.What} sent again on a healthy store: {fault}");
        }
        for (var round = 0; round < 2; round++) Assert.Equal(0, (await SweepAsync(hosts, clock, faults, tolerateFaults: false)).Failed);
        await foreach (var open in check.Orders.OpenSagasAsync(default)) Assert.Fail($"seed {seed}: saga {open.Kind} of {open.OrderId} still open at the end");
        await AssertLoadsMatchBalancesAsync(check, seed);

        await AssertBooksBalanceAsync(check, memory, seed);
        await AssertOrdersWholeAndHeldOnceAsync(check, orders, seed);
        await AssertPurchaseOrdersMatchTheLedgerAsync(check, seed);

        void Compare(Request request, string answer, string when)
        {
            if (first.TryGetValue(request.Key, out var before))
            {
                // A refusal writes nothing (a later attempt decides afresh), except an order's, which is recorded.
                if (!Matches(request.Kind, before, answer))
                    mismatches.Add($"{request.Kind} {request.What} ({when}):\n  first: {before}\n  now:   {answer}");
            }
            else first[request.Key] = answer;
        }
    }

    /// <summary>Whether a request's later answer agrees with its first.</summary>
    private static bool Matches(string kind, string before, string now)
    {
        var ok = before.StartsWith("ok", StringComparison.Ordinal);
        return kind switch
        {
            "reserve" => before == now, // an order's refusal is recorded too
            "po cancel" => true, // a cancel sent again answers invalid-transition (documented: docs/architecture.md, Workflows)
            "count" => !ok || (now.StartsWith("ok", StringComparison.Ordinal) && before[3..].Split(',', StringSplitOptions.RemoveEmptyEntries).All(row => now[3..].Split(',').Contains(row))),
            "po receipt" => !ok || before == now || ((now == AlreadyApplied || before == AlreadyApplied) && now.StartsWith("ok", StringComparison.Ordinal)),
            _ => !ok || before == now, // a refusal writes nothing: a later attempt decides afresh
        };
    }

    private static async Task<(string? Answer, Exception? Fault)> SendAsync(Request request, InventoryApplication app)
    {
        try { return (await request.Run(app), null); }
        // An ask to retry is no answer: a twin decided later (its claimant's time over) may answer first, and be the answer.
        catch (InvalidStateException e) when (e.RetryLater) { return (null, e); }
        catch (DomainException e) when (e is not ConcurrencyExhaustedException) { return ($"refused {e.Code}: {e.Message}", null); }
        catch (SharedCommitFailedException e) { return (null, e.InnerException); } // the shared commit's own failure
        catch (Exception e) { return (null, e); }
    }

    private static async Task<OrderRecoveryResult> SweepAsync(Hosts hosts, SteppingClock clock, RandomFaults faults, bool tolerateFaults)
    {
        clock.Advance(TimeSpan.FromMinutes(5));
        var app = hosts.New(0);
        OrderRecoveryResult result = new(0, 0, 0, 0, 0);
        async Task Step(Func<Task> step)
        {
            try { await step(); }
            catch (Exception e) when (tolerateFaults && e is StoreFaultException or StoreFailureException) { app = hosts.New(0); }
        }
        await Step(async () => result = await app.RecoverOrders.ExecuteAsync());
        await Step(async () => await app.ExpireHolds.ExecuteAsync());
        foreach (var po in PurchaseOrders) await Step(async () => await app.ReceivePurchaseOrder.ResumeAsync(po));
        _ = faults;
        return result;
    }

    private static async Task ArrangeAsync(InventoryApplication app)
    {
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = Warehouse, Name = "Model warehouse" });
        foreach (var l in Locations)
            await app.SaveLocation.ExecuteAsync(new Location
            {
                LocationId = l, WarehouseId = Warehouse, MaxWeightKg = 500, MaxVolumeCubicCm = 2_000_000,
                Type = l switch { "M-PICK" => LocationType.PickFace, "M-OVF" => LocationType.Overflow, _ => LocationType.Bulk },
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
                [new OrderLine(Products[i], 40), new OrderLine(Products[(i + 1) % Products.Length], 40)]));
            await app.ChangePurchaseOrderStatus.ExecuteAsync(PurchaseOrders[i], PurchaseOrderAction.Send);
            await app.ChangePurchaseOrderStatus.ExecuteAsync(PurchaseOrders[i], PurchaseOrderAction.Confirm);
        }
    }

    private static string Movement(MovementResult m) =>
        $"ok {m.Operation.Kind} {m.Operation.Reference} [{string.Join(",", m.Operation.TxnIds)}] " +
        string.Join(",", m.Operation.BalancesAfter.Select(b => $"{b.LocationId}:{b.QuantityOnHand}/{b.QuantityReserved}"));

    private static string Reservation(ReservationView v) =>
        "ok " + string.Join(",", v.Lines.Select(l => $"{l.ProductId}:{l.Requested}/{l.Reserved}"));

    private static string Change(ReservationView v) =>
        "ok " + string.Join(",", v.Change?.Lines.Select(l => $"{l.ProductId}:{l.Quantity}:{l.Outcome}:{l.Code}") ?? []);

    private static (IReadOnlyList<Request> Requests, IReadOnlyList<(string OrderId, bool Hold)> Orders) Mix(Random r, SteppingClock clock)
    {
        var requests = new List<Request>();
        var orders = new List<(string OrderId, string[] Products, bool Hold)>();
        string Product() => Products[r.Next(Products.Length)];
        string Location(bool overflowToo = true) => Locations[r.Next(overflowToo ? Locations.Length : Locations.Length - 1)];
        for (var i = 0; requests.Count < Requests; i++)
        {
            var roll = r.Next(100);
            var extra = r.Next(100);
            if (extra < 4)
            {
                var rows = Products.OrderBy(_ => r.Next()).Take(r.Next(1, 3))
                    .Select((p, n) => new CountRow(n + 2, Location(overflowToo: false), p, null, r.Next(5, 40), "cycle")).ToArray();
                var command = new CountCommand($"count{i}", rows);
                requests.Add(new(command.CountId, "count", string.Join(",", rows.Select(c => $"{c.ProductId}@{c.LocationId}={c.CountedQuantity}")), async a =>
                {
                    var result = await a.StockCount.ExecuteAsync(command);
                    // A count applied within its request is not recorded: a row refused (nothing written) may apply when sent again.
                    return "ok " + string.Join(",", result.Results.Where(o => o.Status != CountRowStatus.Failed).Select(o => $"{o.Line}:{o.AdjustmentId}"));
                }));
                continue;
            }
            if (extra < 6 && requests.Count > Requests / 2)
            {
                var po = PurchaseOrders[r.Next(PurchaseOrders.Length)];
                requests.Add(new($"cancel-{po}", "po cancel", po, async a =>
                    (await a.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Cancel)).Status.ToString() is var status ? "ok " + status : ""));
                continue;
            }
            if (roll < 26 || orders.Count == 0)
            {
                var id = $"MO{i}";
                // One product in a third of the orders (no saga; in a bucket when it is the product in escrow).
                var lines = (r.Next(2) == 0 ? [Product()] : Products.OrderBy(_ => r.Next()).Take(r.Next(2, 4)).ToArray())
                    .Select(p => new OrderLine(p, r.Next(1, 7))).ToArray();
                var hold = r.Next(3) == 0;
                var command = new ReserveCommand(id, lines, Policy: r.Next(5) == 0 ? ReservationPolicy.Partial : ReservationPolicy.AllOrNothing,
                    HoldMinutes: hold ? 1 : null);
                orders.Add((id, lines.Select(l => l.ProductId).ToArray(), hold));
                requests.Add(new(id, "reserve", $"{id} {string.Join(",", lines.Select(l => $"{l.ProductId}:{l.Quantity}"))}{(hold ? " hold" : "")}",
                    async a => Reservation((await a.Reserve.ExecuteAsync(command)).Reservation)));
            }
            else if (roll < 52)
            {
                var (orderId, products, _) = orders[r.Next(orders.Count)];
                var lines = r.Next(3) == 0 ? null
                    : products.OrderBy(_ => r.Next()).Take(r.Next(1, products.Length + 1))
                        .Select(p => new ReservationLineChange(p, r.Next(3) == 0 ? null : r.Next(1, 4))).ToArray();
                var command = new ReservationChangeCommand(orderId, lines, r.Next(2) == 0 ? $"ref{i}" : null);
                var fulfil = roll < 42;
                requests.Add(new($"chg{i}", fulfil ? "fulfil" : "release",
                    $"{orderId} {command.Reference} {(lines is null ? "all" : string.Join(",", lines.Select(l => $"{l.ProductId}:{l.Quantity}")))}",
                    async a => Change(fulfil ? await a.Fulfill.ExecuteAsync(command) : await a.Release.ExecuteAsync(command))));
            }
            else if (roll < 60)
            {
                var command = new AdjustCommand(Product(), Location(), r.Next(2) == 0 ? -r.Next(1, 5) : r.Next(1, 7), null, "model", $"adj{i}");
                requests.Add(new(command.AdjustmentId, "adjust", $"{command.ProductId}@{command.LocationId} {command.Delta}",
                    async a => Movement(await a.Adjust.ExecuteAsync(command))));
            }
            else if (roll < 68)
            {
                var from = Location();
                var to = Locations.Where(l => l != from).ElementAt(r.Next(Locations.Length - 1));
                var command = new TransferCommand(Product(), from, to, r.Next(1, 6), $"trf{i}");
                requests.Add(new(command.TransferId, "transfer", $"{command.ProductId} {from}->{to} {command.Quantity}",
                    async a => Movement(await a.Transfer.ExecuteAsync(command))));
            }
            else if (roll < 75)
            {
                var command = new ReceiveCommand(Product(), Location(overflowToo: false), r.Next(1, 9), $"rcv{i}");
                requests.Add(new(command.ReceiptId, "receipt", $"{command.ProductId}@{command.LocationId} {command.Quantity}",
                    async a => Movement(await a.Receive.ExecuteAsync(command))));
            }
            else if (roll < 84)
            {
                var po = r.Next(PurchaseOrders.Length);
                var poProducts = new[] { Products[po], Products[(po + 1) % Products.Length] };
                var lines = poProducts.Take(r.Next(1, 3)).Select(p => new ReceiptMessageLine(p, r.Next(1, 9), r.Next(2) == 0 ? null : Location(overflowToo: false))).ToArray();
                var message = new ReceiptMessage(PurchaseOrders[po], $"grn{i}", Warehouse, "dock", lines);
                requests.Add(new(message.ReceiptId, "po receipt", $"{message.PoId} {message.ReceiptId}", async a =>
                {
                    var outcome = await a.ReceivePurchaseOrder.ExecuteAsync(message);
                    if (outcome.AlreadyApplied) return AlreadyApplied; // a receipt applied before answers no lines (ReceiptOutcome)
                    return "ok " + string.Join(",", outcome.Lines.Select(l => $"{l.Line}:{l.ProductId}:{l.Quantity}@{l.LocationId}"));
                }));
            }
            else if (roll < 88)
            {
                requests.Add(new($"exp{i}", "hold expiry", "", async a => { clock.Advance(TimeSpan.FromMinutes(1)); await a.ExpireHolds.ExecuteAsync(); return "ok"; }));
            }
            else if (roll < 91)
            {
                requests.Add(new($"rec{i}", "recovery", "", async a =>
                {
                    clock.Advance(TimeSpan.FromMinutes(1)); // sagas in flight (on the other instance, or run four at a time) fall due too
                    var result = await a.RecoverOrders.ExecuteAsync();
                    foreach (var po in PurchaseOrders) await a.ReceivePurchaseOrder.ResumeAsync(po);
                    return "ok";
                }));
            }
            else if (requests.Count > 0)
            {
                var again = requests[r.Next(requests.Count)];
                if (again.Kind is not ("hold expiry" or "recovery")) requests.Add(again); // the same request delivered again, later
            }
        }
        return (requests, orders.Select(o => (o.OrderId, o.Hold)).ToArray());
    }

    private static async Task AssertBooksBalanceAsync(InventoryApplication app, InMemoryDocumentStore memory, int seed)
    {
        var partitions = new ProductPartitions(memory);
        foreach (var product in Products)
        {
            var report = await app.Invariants.CheckAsync(product);
            Assert.True(report.Holds, $"seed {seed}, {product}: " + string.Join("\n", report.Violations));
            Assert.True(report.Shortages.Count == 0, $"seed {seed}, {product} oversold: " + string.Join("\n", report.Shortages));
            string? token = null;
            do
            {
                var page = await app.Invariants.CheckFullAsync(product, token);
                Assert.True(page.Holds, $"seed {seed}, {product}, full audit: " + string.Join("\n", page.Violations));
                token = page.ContinuationToken;
            } while (token is not null);
            Assert.All((await app.Stock.GetStockAsync(product)).Locations, l => Assert.InRange(l.QuantityReserved, 0, l.QuantityOnHand));
            if (InEscrow.Contains(product)) continue; // its listed ledger merges its buckets' (the full audit above walks each)

            var ledger = await new StockScenario(app).LedgerAsync(product);
            var twice = ledger.GroupBy(e => e.TxnId).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            Assert.True(twice.Length == 0, $"seed {seed}, {product}: ledger entries written twice: {string.Join(", ", twice)}");
            var balances = (await partitions.StockAsync(product, default, withBuckets: false))!.Value.Balances;
            foreach (var b in balances)
            {
                Assert.True(b.QuantityOnHand == ledger.Where(e => e.LocationId == b.LocationId).Sum(e => e.OnHandDelta),
                    $"seed {seed}, {product}@{b.LocationId}: on hand {b.QuantityOnHand}, the ledger sums to {ledger.Where(e => e.LocationId == b.LocationId).Sum(e => e.OnHandDelta)}");
                Assert.True(b.QuantityReserved == ledger.Where(e => e.LocationId == b.LocationId).Sum(e => e.ReservedDelta),
                    $"seed {seed}, {product}@{b.LocationId}: reserved {b.QuantityReserved}, the ledger sums to {ledger.Where(e => e.LocationId == b.LocationId).Sum(e => e.ReservedDelta)}");
            }
        }
    }

    /// <summary>
    /// Each order of several products reserved on all of them or holding nothing; each order held at most once per
    /// product (one record, in its product's partition or its bucket), never more than it asked; an expired hold holds nothing.
    /// </summary>
    private static async Task AssertOrdersWholeAndHeldOnceAsync(InventoryApplication app, IReadOnlyList<(string OrderId, bool Hold)> orders, int seed)
    {
        var records = new Dictionary<(string OrderId, string ProductId), List<Inventory.Application.Lists.ProductReservationItem>>();
        foreach (var product in Products)
        {
            string? token = null;
            do
            {
                var page = await app.ProductReservations.ListAsync(product, null, 100, token);
                foreach (var item in page.Items)
                {
                    if (!records.TryGetValue((item.OrderId, product), out var list)) records[(item.OrderId, product)] = list = [];
                    list.Add(item);
                }
                token = page.ContinuationToken;
            } while (token is not null);
        }
        foreach (var ((orderId, productId), list) in records)
        {
            Assert.True(list.Count == 1, $"seed {seed}: {orderId} has {list.Count} reservations of {productId}: " +
                string.Join("; ", list.Select(i => $"{i.Status} reserved {i.Reserved} remaining {i.Remaining}")));
            Assert.True(list[0].Reserved <= list[0].Requested, $"seed {seed}: {orderId} reserved {list[0].Reserved} of {productId}, asked {list[0].Requested}");
        }

        foreach (var (orderId, hold) in orders)
        {
            var order = await app.Orders.FindAsync(orderId, default);
            if (order is null) continue; // refused before its header was claimed, or never claimed
            var reservations = await app.Orders.ReservationsAsync(order, default);
            var holding = reservations.Values.OfType<ProductReservation>().Where(r => r.Status == ReservationStatus.Active && r.Remaining > 0).ToArray();
            if (hold)
                Assert.True(holding.Length == 0, $"seed {seed}: {orderId}'s hold expired long ago, yet it holds " +
                    string.Join(", ", holding.Select(r => $"{r.ProductId}: {r.Remaining}")));
            if (order.DecidedByProduct) continue;
            Assert.True(order.IsTerminal, $"seed {seed}: {orderId} is {order.State} after recovery");
            if (order.State == OrderSagaState.Reserved)
                Assert.True(order.Lines.All(l => reservations.GetValueOrDefault(l.ProductId) is not null),
                    $"seed {seed}: {orderId} is reserved but has no reservation of {string.Join(", ", order.Lines.Where(l => reservations.GetValueOrDefault(l.ProductId) is null).Select(l => l.ProductId))}");
            else
                Assert.True(holding.Length == 0, $"seed {seed}: {orderId} was refused ({order.Refusal?.Code}) but still holds stock: " +
                    string.Join(", ", holding.Select(r => $"{r.ProductId}: {r.Remaining}")));
        }
    }

    private static async Task AssertLoadsMatchBalancesAsync(InventoryApplication app, int seed)
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
                $"seed {seed}, {location}: the loads say {loads.GetValueOrDefault(location)}, the balances {expected[location]}");
    }

    private static async Task AssertPurchaseOrdersMatchTheLedgerAsync(InventoryApplication app, int seed)
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
            Assert.True(po.PendingReceipts.Count == 0, $"seed {seed}: {poId} still has receipts pending after recovery");
            foreach (var line in po.Lines)
                Assert.True(line.QuantityReceived == received.GetValueOrDefault((poId, line.ProductId)),
                    $"seed {seed}: {poId} ({po.Status}) records {line.QuantityReceived} of {line.ProductId} received, its receipts put {received.GetValueOrDefault((poId, line.ProductId))} in stock");
        }
    }

    /// <summary>A clock the requests share, safe across threads.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private long ticks = start.UtcTicks;
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);
        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }
}
