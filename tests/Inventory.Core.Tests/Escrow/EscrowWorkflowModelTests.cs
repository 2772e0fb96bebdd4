using System.Collections.Concurrent;
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

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// The model-based concurrency test (<see cref="WorkflowModelContract"/>) widened to what it leaves out: two of the four
/// products are in escrow (four buckets; three instances, each reserving in a bucket of its own), and the mix adds cycle
/// counts (several rows, products in escrow too; recorded counts of two rows or more), fulfilments and releases of part
/// of an order (order changes), orders over several products with the partial policy, saves of products (paused and
/// active again: their copies into the buckets), the recovery timer running while requests do, reads of the stock view
/// while everything runs, and transient store faults (a few reads and commits fail, before or after applying; the client
/// retries half of them). After recovery the
/// model must hold: nothing unexpected thrown, no saga open, no read ever showed reserved above on hand, the quick and the
/// full audit hold on every product (buckets included), each bucket holds exactly what the product holds for it, every
/// partition's ledger sums to its balances, every unit shipped in the ledger is shipped by a reservation, every order is
/// whole, and the product's reservation list (product and buckets) holds what the stock view shows reserved, location by
/// location, each order once.
/// </summary>
public class EscrowWorkflowModelTests(ITestOutputHelper output)
{
    private const string Warehouse = "EW";
    private const int Buckets = 4;
    private static readonly string[] Products = ["E1", "E2", "E3", "E4"];
    private static readonly HashSet<string> InEscrow = new(StringComparer.Ordinal) { "E1", "E2" };
    private static readonly string[] Locations = ["E-PICK", "E-BULK", "E-BULK2", "E-OVF"];
    private static readonly string[] PurchaseOrders = ["EPO1", "EPO2", "EPO3", "EPO4"];
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private const int Requests = 400;
    private const int InFlight = 8;

    private readonly InMemoryDocumentStore store = new();
    private readonly SteppingClock clock = new(Start);
    private readonly Faults faults = new();

    private InventoryApplication Instance(int bucket, bool coalesce, bool jitter = false) =>
        new(jitter ? new JitteringStore(store, faults) : store, clock, new ConcurrencyOptions { Coalesce = coalesce }, ledger: new LedgerOptions { CheckpointEvery = 10 })
        {
            OrderOptions = new OrderOptions { RecoverAfterSeconds = 60 },
            CountOptions = new CountOptions { InRequestRows = 1, WindowRows = 1 }, // a count of two rows or more is recorded, applied window by window
            EscrowOptions = new EscrowOptions { Products = InEscrow, Buckets = Buckets, Bucket = bucket },
        };

    private sealed record Request(string Kind, string What, Func<InventoryApplication, Task> Run);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task A_random_mix_with_escrow_counts_and_order_changes_from_three_instances_leaves_every_invariant_true(int seed)
    {
        output.WriteLine($"seed {seed}, {Requests} requests, {InFlight} in flight");
        await SetUpAsync();
        var (requests, orders) = Mix(new Random(seed));

        // Each instance its own client, each store call a moment late, so requests interleave as they would over a network.
        var apps = new[] { Instance(1, coalesce: true, jitter: true), Instance(2, coalesce: false, jitter: true), Instance(3, coalesce: true, jitter: true) };
        var refusals = new ConcurrentDictionary<string, int>();
        var unexpected = new ConcurrentQueue<string>();
        var oversold = new ConcurrentQueue<string>();
        var examples = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(requests.Select((r, i) => (r, i)), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (x, ct) =>
        {
            var app = apps[x.i % apps.Length];
            try { await x.r.Run(app); refusals.AddOrUpdate(x.r.Kind + ": ok", 1, (_, n) => n + 1); }
            catch (DomainException e)
            {
                refusals.AddOrUpdate($"{x.r.Kind}: {e.Code}", 1, (_, n) => n + 1);
                examples.TryAdd($"{x.r.Kind}: {e.Code}", $"#{x.i} {x.r.What}: {e.Message}");
            }
            catch (Exception e) when (Transient(e))
            {
                // A transient failure: the client retries at once half the time (the other half is left to recovery).
                refusals.AddOrUpdate($"{x.r.Kind}: store unavailable", 1, (_, n) => n + 1);
                if (x.i % 2 == 0)
                    try { await x.r.Run(app); }
                    catch (DomainException) { }
                    catch (Exception again) when (Transient(again)) { }
                    catch (Exception again) { unexpected.Enqueue($"#{x.i} {x.r.Kind} {x.r.What} (retried): {again.GetType().Name}: {again.Message}"); }
            }
            catch (Exception e) { unexpected.Enqueue($"#{x.i} {x.r.Kind} {x.r.What}: {e.GetType().Name}: {e.Message}"); }
            // What any client reads meanwhile: never more reserved than on hand, never less than nothing available.
            var product = Products[x.i % Products.Length];
            try
            {
                var view = await app.Stock.GetStockAsync(product, ct);
                foreach (var l in view.Locations.Where(l => l.QuantityReserved < 0 || l.QuantityReserved > l.QuantityOnHand || l.QuantityAvailable < 0))
                    oversold.Enqueue($"after #{x.i} {x.r.Kind} {x.r.What}: {product}@{l.LocationId} on hand {l.QuantityOnHand}, reserved {l.QuantityReserved}");
            }
            catch (DomainException) { } // a read that gave up on a torn read
            catch (Exception e) when (Transient(e)) { }
        });
        output.WriteLine($"lost races: {apps.Sum(a => a.Statistics.Conflicts)}, store faults: {faults.Struck}");
        faults.Off();
        foreach (var (outcome, count) in refusals.OrderBy(r => r.Key, StringComparer.Ordinal))
            output.WriteLine($"  {outcome}: {count}{(examples.TryGetValue(outcome, out var example) ? $" (e.g. {example})" : "")}");
        Assert.True(unexpected.IsEmpty, "errors that are no refusal:\n" + string.Join("\n", unexpected));
        Assert.True(oversold.IsEmpty, "a read showed more reserved than on hand:\n" + string.Join("\n", oversold.Take(10)));

        clock.Advance(TimeSpan.FromMinutes(5));
        var check = Instance(4, coalesce: false);
        for (var i = 0; i < Products.Length; i++)
            await check.SaveProduct.ExecuteAsync(new Product
            {
                ProductId = Products[i], Sku = "SKU-" + Products[i], Name = Products[i], UnitWeightGrams = 100 * (i + 1), Dimensions = new(10 + i, 10, 10),
            });
        var recovered = await check.RecoverOrders.ExecuteAsync();
        Assert.True(recovered.Failed == 0, "recovery failed: " + string.Join("\n", recovered.Failures ?? []));
        foreach (var po in PurchaseOrders) await check.ReceivePurchaseOrder.ResumeAsync(po);
        // Recorded counts: each sent again by its client (one left receiving is accepted so), then the resume timer.
        foreach (var count in counts) await check.StockCount.SubmitAsync(count);
        clock.Advance(TimeSpan.FromMinutes(10));
        var resumed = await check.RecordedCounts.ResumeOpenAsync();
        Assert.True(resumed.Failed == 0, $"resuming the recorded counts: {resumed}");
        foreach (var count in counts)
        {
            var status = await check.RecordedCounts.StatusAsync(count.CountId, null, 100);
            Assert.True(status.Status == CountState.Completed && status.ProcessedRows == count.Rows.Count
                && status.Applied + status.Replayed + status.Failed == count.Rows.Count && status.Results.Count == count.Rows.Count,
                $"{count.CountId}: {status.Status}, {status.ProcessedRows} of {count.Rows.Count} rows processed, {status.Applied} applied, {status.Replayed} replayed, {status.Failed} failed, {status.Results.Count} outcomes");
        }
        await foreach (var open in check.Orders.OpenSagasAsync(default)) Assert.Fail($"saga {open.Kind} of {open.OrderId} still open after recovery");

        await AssertBooksBalanceAsync(check);
        await AssertBucketsHoldWhatTheProductHoldsForThemAsync(check);
        await AssertLedgersSumToBalancesAsync(check);
        await AssertEveryOrderWholeAsync(check, orders);
        await AssertReservationListsMatchTheStockAsync(check);
        await AssertPurchaseOrdersMatchTheLedgerAsync(check);
        // The loads are advisory and converge at the product's next movement in the warehouse (a request failed after its
        // commit and not retried left them behind): one receipt of each product brings them up.
        foreach (var product in Products) await check.Receive.ExecuteAsync(new ReceiveCommand(product, "E-BULK", 1, "touch-" + product));
        await AssertLoadsMatchBalancesAsync(check);
    }

    private async Task SetUpAsync()
    {
        var app = Instance(1, coalesce: true);
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = Warehouse, Name = "Escrow model warehouse" });
        foreach (var location in Locations)
            await app.SaveLocation.ExecuteAsync(new Location
            {
                LocationId = location, WarehouseId = Warehouse, MaxWeightKg = 5000, MaxVolumeCubicCm = 20_000_000,
                Type = location switch { "E-PICK" => LocationType.PickFace, "E-OVF" => LocationType.Overflow, _ => LocationType.Bulk },
            });
        for (var i = 0; i < Products.Length; i++)
        {
            await app.SaveProduct.ExecuteAsync(new Product
            {
                ProductId = Products[i], Sku = "SKU-" + Products[i], Name = Products[i], UnitWeightGrams = 100 * (i + 1), Dimensions = new(10 + i, 10, 10),
            });
            await app.Receive.ExecuteAsync(new ReceiveCommand(Products[i], "E-BULK", 60, "open-bulk-" + Products[i]));
            await app.Receive.ExecuteAsync(new ReceiveCommand(Products[i], "E-PICK", 20, "open-pick-" + Products[i]));
        }
        for (var i = 0; i < PurchaseOrders.Length; i++)
        {
            await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand(PurchaseOrders[i], "S1", Warehouse, new DateOnly(2026, 12, 1),
                [new OrderLine(Products[i], 20), new OrderLine(Products[(i + 1) % Products.Length], 20)]));
            await app.ChangePurchaseOrderStatus.ExecuteAsync(PurchaseOrders[i], PurchaseOrderAction.Send);
            await app.ChangePurchaseOrderStatus.ExecuteAsync(PurchaseOrders[i], PurchaseOrderAction.Confirm);
        }
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
            if (roll < 30 || orders.Count == 0)
            {
                var id = $"EO{i}";
                // Half the orders are of one product (in escrow: reserved in the instance's bucket), the others of several.
                var count = r.Next(2) == 0 ? 1 : r.Next(2, 4);
                var products = r.Next(3) != 0 && count == 1 ? [InEscrow.ElementAt(r.Next(InEscrow.Count))] : Products.OrderBy(_ => r.Next()).Take(count).ToArray();
                var lines = products.Select(p => new OrderLine(p, r.Next(1, 9))).ToArray();
                var command = new ReserveCommand(id, lines, Policy: r.Next(3) == 0 ? ReservationPolicy.Partial : ReservationPolicy.AllOrNothing,
                    HoldMinutes: r.Next(4) == 0 ? 1 : null);
                orders.Add((id, lines.Select(l => l.ProductId).ToArray()));
                requests.Add(new("reserve", $"{id} {command.Policy} {string.Join(",", lines.Select(l => $"{l.ProductId}:{l.Quantity}"))}", a => a.Reserve.ExecuteAsync(command)));
            }
            else if (roll < 56)
            {
                var (orderId, products) = orders[r.Next(orders.Count)];
                var lines = r.Next(4) == 0 ? null
                    : products.OrderBy(_ => r.Next()).Take(r.Next(1, products.Length + 1))
                        .Select(p => new ReservationLineChange(p, r.Next(3) == 0 ? null : r.Next(1, 4))).ToArray();
                var command = new ReservationChangeCommand(orderId, lines, r.Next(2) == 0 ? $"ref{i}" : null);
                var fulfil = roll < 46;
                requests.Add(new(fulfil ? "fulfil" : "release",
                    $"{orderId} {command.Reference} {(lines is null ? "all" : string.Join(",", lines.Select(l => $"{l.ProductId}:{l.Quantity}")))}",
                    a => fulfil ? a.Fulfill.ExecuteAsync(command) : a.Release.ExecuteAsync(command)));
            }
            else if (roll < 62)
            {
                var command = new AdjustCommand(Product(), Location(), r.Next(2) == 0 ? -r.Next(1, 5) : r.Next(1, 7), null, "model", $"adj{i}");
                requests.Add(new("adjust", $"{command.ProductId}@{command.LocationId} {command.Delta}", a => a.Adjust.ExecuteAsync(command)));
            }
            else if (roll < 70)
            {
                // A cycle count: one to three rows, counted near what is there (a few below, a few above).
                var rows = Enumerable.Range(0, r.Next(1, 4)).Select(_ => (Product(), Location())).Distinct()
                    .Select((x, n) => new CountRow(n + 1, x.Item2, x.Item1, null, (long)r.Next(0, 70), null)).ToArray();
                var command = new CountCommand($"cnt{i}", rows);
                var recorded = r.Next(2) == 0 && rows.Length > 1;
                if (recorded) counts.Add(command);
                requests.Add(new(recorded ? "recorded count" : "count", $"{command.CountId} {string.Join(",", rows.Select(x => $"{x.ProductId}@{x.LocationId}={x.CountedQuantity}"))}",
                    recorded ? a => a.StockCount.SubmitAsync(command) : async a =>
                    {
                        var result = await a.StockCount.ExecuteAsync(command);
                        foreach (var o in result.Results.Where(o => o.Status == CountRowStatus.Failed))
                            refusalsOfCountRows.AddOrUpdate(o.Code ?? "?", 1, (_, n) => n + 1);
                    }));
            }
            else if (roll < 76)
            {
                var from = Location();
                var to = Locations.Where(l => l != from).ElementAt(r.Next(Locations.Length - 1));
                var command = new TransferCommand(Product(), from, to, r.Next(1, 8), $"trf{i}");
                requests.Add(new("transfer", $"{command.ProductId} {from}->{to} {command.Quantity}", a => a.Transfer.ExecuteAsync(command)));
            }
            else if (roll < 82)
            {
                var command = new ReceiveCommand(Product(), Location(overflowToo: false), r.Next(1, 9), $"rcv{i}");
                requests.Add(new("receipt", $"{command.ProductId}@{command.LocationId} {command.Quantity}", a => a.Receive.ExecuteAsync(command)));
            }
            else if (roll < 88)
            {
                var po = r.Next(PurchaseOrders.Length);
                var poProducts = new[] { Products[po], Products[(po + 1) % Products.Length] };
                var lines = poProducts.Take(r.Next(1, 3)).Select(p => new ReceiptMessageLine(p, r.Next(1, 9), r.Next(2) == 0 ? null : Location(overflowToo: false))).ToArray();
                var message = new ReceiptMessage(PurchaseOrders[po], $"grn{i}", Warehouse, "dock", lines);
                requests.Add(new("po receipt", $"{message.PoId} {message.ReceiptId}", a => a.ReceivePurchaseOrder.ExecuteAsync(message)));
            }
            else if (roll < 89 && requests.Count > Requests * 3 / 4) // late: receipts land on the orders first
            {
                var po = PurchaseOrders[r.Next(PurchaseOrders.Length)];
                requests.Add(new("po cancel", po, a => a.ChangePurchaseOrderStatus.ExecuteAsync(po, PurchaseOrderAction.Cancel)));
            }
            else if (roll < 90)
            {
                requests.Add(new("hold expiry", "", async a => { clock.Advance(TimeSpan.FromMinutes(2)); await a.ExpireHolds.ExecuteAsync(); }));
            }
            else if (roll < 94 && roll >= 92)
            {
                var product = Product();
                var index = Array.IndexOf(Products, product);
                var active = r.Next(4) != 0;
                var weight = 100 * (index + 1);
                requests.Add(new("save product", $"{product} active {active}", a => a.SaveProduct.ExecuteAsync(new Product
                {
                    ProductId = product, Sku = "SKU-" + product, Name = product + (active ? "" : " (paused)"), UnitWeightGrams = weight,
                    Dimensions = new(10 + index, 10, 10), IsActive = active,
                })));
            }
            else if (roll < 92)
            {
                // The recovery timer runs while requests do (an instance may be stalled past its wait).
                requests.Add(new("recovery", "", async a => { clock.Advance(TimeSpan.FromSeconds(90)); await a.RecoverOrders.ExecuteAsync(); }));
            }
            else if (requests.Count > 0)
            {
                var again = requests[r.Next(requests.Count)];
                if (again.Kind is not ("hold expiry" or "replay" or "recovery")) requests.Add(again with { Kind = "replay" });
            }
        }
        return (requests, orders.Select(o => o.OrderId).ToArray());
    }

    private readonly ConcurrentDictionary<string, int> refusalsOfCountRows = new();
    private readonly List<CountCommand> counts = [];

    private async Task AssertBooksBalanceAsync(InventoryApplication app)
    {
        output.WriteLine("count rows refused: " + string.Join(", ", refusalsOfCountRows.Select(kv => $"{kv.Key}: {kv.Value}")));
        foreach (var product in Products)
        {
            var report = await app.Invariants.CheckAsync(product);
            Assert.True(report.Holds, $"{product}: " + string.Join("\n", report.Violations));
            Assert.True(report.Shortages.Count == 0, $"{product}: " + string.Join("\n", report.Shortages));
            var findings = new List<string>();
            string? token = null;
            var pages = 0;
            do
            {
                var page = await app.Invariants.CheckFullAsync(product, token);
                findings.AddRange(page.Violations);
                findings.AddRange(page.Shortages);
                token = page.ContinuationToken;
            } while (token is not null && ++pages < 1000);
            Assert.True(findings.Count == 0, $"{product}, full audit: " + string.Join("\n", findings));
            Assert.All((await app.Stock.GetStockAsync(product)).Locations, l => Assert.InRange(l.QuantityReserved, 0, l.QuantityOnHand));
        }
    }

    /// <summary>Each bucket's on hand, location by location, is what the product's holder of it still holds; no partition oversold.</summary>
    private static async Task AssertBucketsHoldWhatTheProductHoldsForThemAsync(InventoryApplication app)
    {
        foreach (var product in InEscrow)
        {
            var (listed, withRecords) = await app.Partitions.BucketListsAsync(product, default);
            var buckets = withRecords.Union(listed).ToArray();
            var own = await app.Partitions.LoadAsync(product, new StockRead([.. buckets.Select(b => new EscrowBucket(product, b).Holder)], []));
            Assert.All(own!.Stock.Balances, b => Assert.True(b.QuantityReserved <= b.QuantityOnHand, $"{product}@{b.LocationId}: on hand {b.QuantityOnHand}, reserved {b.QuantityReserved} (holders included)"));
            foreach (var bucket in buckets.Select(b => new EscrowBucket(product, b)))
            {
                var hold = own.Stock.Reservation(bucket.Holder);
                var heldHere = hold?.Allocations.GroupBy(a => a.LocationId).Where(g => g.Sum(a => a.Remaining) != 0)
                    .ToDictionary(g => g.Key, g => g.Sum(a => a.Remaining)) ?? [];
                var stock = await app.Partitions.StockAsync(bucket.Partition, default, withBuckets: false);
                var byLocation = stock?.Balances.Where(b => b.QuantityOnHand != 0).ToDictionary(b => b.LocationId, b => b.QuantityOnHand) ?? [];
                Assert.True(heldHere.OrderBy(kv => kv.Key).SequenceEqual(byLocation.OrderBy(kv => kv.Key)),
                    $"{bucket.Partition}: the product holds {Show(heldHere)} for it, it has {Show(byLocation)}");
                if (stock is not null)
                    Assert.All(stock.Value.Balances, b => Assert.True(b.QuantityReserved >= 0 && b.QuantityReserved <= b.QuantityOnHand,
                        $"{bucket.Partition}@{b.LocationId}: on hand {b.QuantityOnHand}, reserved {b.QuantityReserved}"));
            }
        }
    }

    /// <summary>
    /// Every partition's ledger (the product's, each bucket's) sums to its balances; what the product's ledger ships is what
    /// the reservations (product and buckets) record shipped; the product's on hand is what its ledger brought in minus out.
    /// </summary>
    private async Task AssertLedgersSumToBalancesAsync(InventoryApplication app)
    {
        foreach (var product in Products)
        {
            var (_, withRecords) = await app.Partitions.BucketListsAsync(product, default);
            long shippedByLedger = 0;
            foreach (var partition in new[] { product }.Concat(withRecords.Select(b => new EscrowBucket(product, b).Partition)))
            {
                var entries = await LedgerOfAsync(app, partition);
                if (partition == product) shippedByLedger = -entries.Where(e => e.TxnType == TxnType.Ship).Sum(e => e.Quantity);
                var stock = await app.Partitions.StockAsync(partition, default, withBuckets: false);
                var balances = stock?.Balances.ToDictionary(b => b.LocationId) ?? [];
                foreach (var location in entries.Select(e => e.LocationId).Union(balances.Keys).Distinct())
                {
                    var onHand = entries.Where(e => e.LocationId == location).Sum(e => e.OnHandDelta);
                    var reserved = entries.Where(e => e.LocationId == location).Sum(e => e.ReservedDelta);
                    var b = balances.GetValueOrDefault(location);
                    Assert.True((onHand, reserved) == (b?.QuantityOnHand ?? 0, b?.QuantityReserved ?? 0),
                        $"{partition}@{location}: the ledger sums to ({onHand}, {reserved}), the balance is ({b?.QuantityOnHand}, {b?.QuantityReserved})");
                }
            }
            // The transactions route lists the same entries, each once, paged at an odd size across the product and its buckets.
            var direct = new List<(string, long)>();
            foreach (var partition in new[] { product }.Concat(withRecords.Select(b => new EscrowBucket(product, b).Partition)))
                direct.AddRange((await LedgerOfAsync(app, partition)).Where(e => e.TxnType != TxnType.Mark).Select(e => (partition, e.Sequence))); // the route leaves marks out
            var listed = new List<(string, long)>();
            string? cursor = null;
            var ledgerPages = 0;
            do
            {
                var page = await app.Stock.GetLedgerAsync(product, 7, cursor);
                listed.AddRange(page.Entries.Select(e => (e.ProductId, e.Sequence)));
                cursor = page.ContinuationToken;
            } while (cursor is not null && ++ledgerPages < 20_000);
            Assert.True(listed.Count == listed.Distinct().Count(), $"{product}: the ledger route lists {listed.Count - listed.Distinct().Count()} entries twice");
            Assert.True(direct.Order().SequenceEqual(listed.Order()),
                $"{product}: the ledger route lists {listed.Count} entries, the partitions hold {direct.Count}; missing: {string.Join(", ", direct.Except(listed).Take(10))}; extra: {string.Join(", ", listed.Except(direct).Take(10))}");
            long shippedByReservations = 0;
            string? token = null;
            do
            {
                var page = await app.ProductReservations.ListAsync(product, null, 1000, token);
                shippedByReservations += page.Items.Sum(i => i.Shipped);
                token = page.ContinuationToken;
            } while (token is not null);
            output.WriteLine($"{product}: shipped {shippedByLedger} by the ledger, {shippedByReservations} by the reservations");
            Assert.True(shippedByLedger == shippedByReservations,
                $"{product}: the product's ledger ships {shippedByLedger}, its reservations (product and buckets) record {shippedByReservations} shipped");
        }
    }

    private static async Task<List<LedgerEntry>> LedgerOfAsync(InventoryApplication app, string partition)
    {
        var entries = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var (page, next) = await app.Partitions.LedgerPageAsync(partition, 1000, token, default);
            entries.AddRange(page);
            token = next;
        } while (token is not null);
        Assert.Equal(entries.Count, entries.Select(e => e.Sequence).Distinct().Count());
        return entries;
    }

    /// <summary>Reserved on every product it names, or holding nothing on any of them; an order of one product held in one place only.</summary>
    private static async Task AssertEveryOrderWholeAsync(InventoryApplication app, IReadOnlyList<string> orders)
    {
        foreach (var orderId in orders)
        {
            var order = await app.Orders.FindAsync(orderId, default);
            if (order is null) continue;
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

    /// <summary>
    /// The product's reservation list (its partition, then each bucket's) holds each order once, nothing remaining on one
    /// no longer active, and its active reservations hold, location by location, what the stock view shows reserved.
    /// </summary>
    private static async Task AssertReservationListsMatchTheStockAsync(InventoryApplication app)
    {
        foreach (var product in Products)
        {
            var items = new List<Inventory.Application.Lists.ProductReservationItem>();
            string? token = null;
            do
            {
                var page = await app.ProductReservations.ListAsync(product, null, 37, token);
                items.AddRange(page.Items);
                token = page.ContinuationToken;
            } while (token is not null);
            // Filtered by status, in pages of one: the same reservations as the whole list holds of that status.
            foreach (var status in Enum.GetValues<ReservationStatus>())
            {
                var filtered = new List<string>();
                token = null;
                var pages = 0;
                do
                {
                    var page = await app.ProductReservations.ListAsync(product, status, 1, token);
                    filtered.AddRange(page.Items.Select(i => i.OrderId));
                    token = page.ContinuationToken;
                } while (token is not null && ++pages < 5000);
                var expected = items.Where(i => i.Status == status).Select(i => i.OrderId).Order(StringComparer.Ordinal).ToArray();
                Assert.True(expected.SequenceEqual(filtered.Order(StringComparer.Ordinal)),
                    $"{product}, {status}: the list filtered by status holds [{string.Join(", ", filtered)}], the whole list [{string.Join(", ", expected)}]");
            }
            var twice = items.GroupBy(i => i.OrderId).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            Assert.True(twice.Length == 0, $"{product}: listed more than once: {string.Join(", ", twice)}");
            Assert.All(items.Where(i => i.Status != ReservationStatus.Active),
                i => Assert.True(i.Remaining == 0, $"{product}: {i.OrderId} is {i.Status} but has {i.Remaining} remaining"));
            Assert.All(items, i => Assert.True(i.Reserved == i.Shipped + i.Released + i.Remaining && i.Reserved <= i.Requested
                    && (i.Policy != ReservationPolicy.AllOrNothing || i.Reserved is 0 || i.Reserved == i.Requested),
                $"{product}: {i.OrderId} ({i.Policy}, {i.Status}) requested {i.Requested}, reserved {i.Reserved}, shipped {i.Shipped}, released {i.Released}, remains {i.Remaining}"));
            Assert.All(items, i => Assert.True(i.Remaining == i.Allocations.Sum(a => a.Remaining),
                $"{product}: {i.OrderId} remains {i.Remaining}, its allocations {i.Allocations.Sum(a => a.Remaining)}"));
            var listed = items.Where(i => i.Status == ReservationStatus.Active).SelectMany(i => i.Allocations)
                .GroupBy(a => a.LocationId).ToDictionary(g => g.Key, g => g.Sum(a => a.Remaining));
            var view = await app.Stock.GetStockAsync(product);
            foreach (var l in view.Locations.Select(l => l.LocationId).Union(listed.Keys))
            {
                var shown = view.Locations.SingleOrDefault(x => x.LocationId == l)?.QuantityReserved ?? 0;
                Assert.True(shown == listed.GetValueOrDefault(l),
                    $"{product}@{l}: the stock view shows {shown} reserved, the reservation list {listed.GetValueOrDefault(l)}");
            }
        }
    }

    /// <summary>Per purchase order and product: what it records received equals the RECEIVE entries its receipts wrote; what is incoming, what it still awaits.</summary>
    private static async Task AssertPurchaseOrdersMatchTheLedgerAsync(InventoryApplication app)
    {
        var received = new Dictionary<(string PoId, string ProductId), long>();
        foreach (var product in Products)
            foreach (var entry in (await LedgerOfAsync(app, product)).Where(e => e.TxnType == TxnType.Receive))
                foreach (var po in PurchaseOrders.Where(po => entry.ReferenceId.StartsWith($"po|{po}|", StringComparison.Ordinal)))
                    received[(po, product)] = received.GetValueOrDefault((po, product)) + entry.Quantity;
        var outstanding = Products.ToDictionary(p => p, _ => 0L);
        foreach (var poId in PurchaseOrders)
        {
            var po = await app.PurchaseOrders.GetAsync(poId);
            Assert.Empty(po.PendingReceipts);
            foreach (var line in po.Lines)
            {
                Assert.True(line.QuantityReceived <= line.QuantityOrdered, $"{poId} received {line.QuantityReceived} of {line.ProductId}, ordered {line.QuantityOrdered}");
                Assert.True(line.QuantityReceived == received.GetValueOrDefault((poId, line.ProductId)),
                    $"{poId} ({po.Status}) records {line.QuantityReceived} of {line.ProductId} received, its receipts put {received.GetValueOrDefault((poId, line.ProductId))} in stock");
                if (po.Status is not (PurchaseOrderStatus.Cancelled or PurchaseOrderStatus.Received)) outstanding[line.ProductId] += line.Outstanding;
            }
        }
        foreach (var product in Products)
        {
            var incoming = (await app.Stock.GetStockAsync(product)).QuantityIncoming;
            Assert.True(incoming == outstanding[product], $"{product}: {incoming} incoming, the open purchase orders await {outstanding[product]}");
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

    private static string Show(Dictionary<string, long> d) => "{" + string.Join(", ", d.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}")) + "}";

    /// <summary>Every call a moment late (a yield or a millisecond or two), so that concurrent requests meet on one state.</summary>
    /// <summary>Transient failures of the instances' store calls during the mix: a few commits fail before or after applying, a few reads fail.</summary>
    private sealed class Faults
    {
        private readonly Lock gate = new();
        private bool on = true;
        public int Struck { get; private set; }
        public void Off() { lock (gate) on = false; }

        public bool Strike(int perThousand)
        {
            lock (gate)
            {
                if (!on || Random.Shared.Next(1000) >= perThousand) return false;
                Struck++;
                return true;
            }
        }
    }

    /// <summary>A transient failure as the API answers it (503, retry): the store's, or a shared commit's that met one.</summary>
    private static bool Transient(Exception e) => e is StoreUnavailableException || e is SharedCommitFailedException { InnerException: StoreUnavailableException };

    private static StoreUnavailableException Unavailable(string what) => new("model", $"transient failure {what}");

    private sealed class JitteringStore(IDocumentStore inner, Faults faults) : DelegatingStore(inner)
    {
        private static Task JitterAsync() => Random.Shared.Next(3) switch
        {
            0 => Task.CompletedTask,
            1 => Task.Run(() => { }),
            _ => Task.Delay(Random.Shared.Next(1, 3)),
        };

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            await JitterAsync();
            if (faults.Strike(5)) throw Unavailable("reading");
            var read = await base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
            await JitterAsync();
            return read;
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            await JitterAsync();
            if (faults.Strike(10)) throw Unavailable("before committing");
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            await JitterAsync();
            if (faults.Strike(10)) throw Unavailable("after committing (the answer lost)");
        }

        public override async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default)
        {
            await JitterAsync();
            return await base.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
        }
    }

    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private long ticks = start.UtcTicks;
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);
        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }
}
