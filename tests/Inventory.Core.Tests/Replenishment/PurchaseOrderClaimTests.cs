using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Issue 12, defect 6: "A manual PO racing the reorder trigger gives two open POs (the PO is created before it is tracked
/// in supply)". PO creation, manual or by replenishment, claims the product's supply before the PO exists.
/// </summary>
public class PurchaseOrderClaimTests
{
    private static readonly DateOnly Expected = new(2026, 12, 10);

    private static CreatePurchaseOrderCommand Manual(string poId, params string[] products) =>
        new(poId, "SUP-M", "W1", Expected, products.Select(p => new OrderLine(p, 10)).ToArray());

    private static InventoryApplication Fresh(IDocumentStore store, ManualClock clock) => new(store, clock)
    {
        ReplenishmentOptions = new ReplenishmentOptions { DefaultWarehouseId = "W1" },
    };

    [Fact]
    public async Task A_reorder_triggered_right_after_a_manual_order_is_stored_sees_it_and_raises_nothing()
    {
        var hooked = new HookedStore(new InMemoryDocumentStore());
        var r = await ReplenishmentScenario.CreateAsync(hooked);
        await r.ProductAsync("A", stock: 5, reorderPoint: 10); // below its reorder point, nothing raised yet (a receipt does not trigger)
        var triggered = 0;
        hooked.After = async (c, partition, writes) =>
        {
            if (c == Collection.PurchaseOrders && partition == "PO-M" && writes.Any(w => w is DocumentWrite.Create { Id: PurchaseOrderBook.DocumentId }))
            {
                triggered++;
                await r.App.Reorder.AfterDropAsync("A"); // the trigger of a drop on another instance, between the PO and its tracking
            }
        };

        await r.App.CreatePurchaseOrder.ExecuteAsync(Manual("PO-M", "A"));

        Assert.Equal(1, triggered);
        Assert.Empty(await r.RaisedOrdersAsync());
        Assert.Equal(["PO-M"], (await r.App.Supplies.ReadAsync("A")).Open.Select(o => o.PoId));
    }

    [Fact]
    public async Task A_manual_order_racing_the_reorder_trigger_never_ends_with_a_reorder_raised_while_it_was_open()
    {
        var memory = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(new HookedStore(memory) { YieldEachCall = true });
        const int rounds = 40;
        for (var i = 0; i < rounds; i++) await r.ProductAsync($"P{i}", stock: 5, reorderPoint: 10);
        // The store's own order of commits: when each manual PO was stored, when each product's supply first named a reorder.
        var sequence = 0;
        var manualStored = new Dictionary<string, int>();
        var reorderClaimed = new Dictionary<string, int>();
        memory.AfterCommit = (c, partition, writes) =>
        {
            sequence++;
            if (c == Collection.PurchaseOrders && partition.StartsWith("PO-M", StringComparison.Ordinal) && writes.Any(w => w is DocumentWrite.Create { Id: PurchaseOrderBook.DocumentId }))
                manualStored[partition["PO-M".Length..]] = sequence;
            if (c == Collection.Products && writes.Any(w => w is DocumentWrite.Create { Id: ProductPartitionIds.Supply, Body: var b } && b.Contains("\"RP-", StringComparison.Ordinal)
                    || w is DocumentWrite.Replace { Id: ProductPartitionIds.Supply, Body: var body } && body.Contains("\"RP-", StringComparison.Ordinal)))
                reorderClaimed.TryAdd(partition[1..], sequence);
        };

        await Task.WhenAll(Enumerable.Range(0, rounds).Select(i => Task.Run(async () =>
        {
            Task manual() => r.App.CreatePurchaseOrder.ExecuteAsync(Manual($"PO-M{i}", $"P{i}"));
            Task reorder() => r.App.Reorder.AfterDropAsync($"P{i}");
            if (i % 2 == 0) await Task.WhenAll(manual(), reorder()); else await Task.WhenAll(reorder(), manual());
        })));

        for (var i = 0; i < rounds; i++)
        {
            var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (reorderClaimed.TryGetValue(key, out var claimedAt))
                Assert.True(claimedAt < manualStored[key], $"round {i}: the reorder claimed P{i} after the manual PO was stored");
            var open = (await r.App.Supplies.ReadAsync($"P{i}")).Open;
            Assert.Contains(open, o => o.PoId == $"PO-M{i}");
            Assert.True(open.Count <= 2);
        }
        Assert.Empty(await OpenSagasAsync(r.App));
    }

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task A_crash_during_a_manual_creation_then_a_retry_or_recovery_ends_as_one_clean_run(int writesBeforeCrash, bool lostAck, bool byRecovery)
    {
        var clean = await ReplenishmentScenario.CreateAsync();
        await clean.ProductAsync("A", stock: 50);
        await clean.ProductAsync("B", stock: 50);
        await clean.App.CreatePurchaseOrder.ExecuteAsync(Manual("PO-M", "A", "B"));

        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store);
        await r.ProductAsync("A", stock: 50);
        await r.ProductAsync("B", stock: 50);
        var writes = 0;
        if (lostAck) store.AfterCommit = (_, _, _) => { if (++writes > writesBeforeCrash) throw new Crash(); };
        else store.BeforeCommit = (_, _, _) => { if (++writes > writesBeforeCrash) throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => r.App.CreatePurchaseOrder.ExecuteAsync(Manual("PO-M", "A", "B")));
        store.AfterCommit = store.BeforeCommit = null;

        var app = Fresh(store, r.Clock);
        if (byRecovery)
        {
            r.Clock.Advance(TimeSpan.FromMinutes(2));
            await app.RecoverOrders.ExecuteAsync();
            if (writesBeforeCrash == 0 && !lostAck)
            {
                // Nothing was written, not even the intent: nothing to recover, nothing claimed.
                Assert.Null(await app.PurchaseOrders.FindAsync("PO-M"));
                Assert.Empty((await app.Supplies.ReadAsync("A")).Open);
                return;
            }
        }
        else await app.CreatePurchaseOrder.ExecuteAsync(Manual("PO-M", "A", "B"));

        var po = await app.PurchaseOrders.GetAsync("PO-M");
        Assert.Equal((PurchaseOrderStatus.Draft, 2), (po.Status, po.Lines.Count));
        foreach (var product in new[] { "A", "B" })
            Assert.Equal((await clean.App.Supplies.ReadAsync(product)).Open, (await app.Supplies.ReadAsync(product)).Open);
        Assert.Empty(await OpenSagasAsync(app));
    }

    public static TheoryData<int, bool, bool> CrashPoints()
    {
        // A clean creation of two products writes: intent, claim A, claim B, the order, the intent removed.
        var data = new TheoryData<int, bool, bool>();
        for (var k = 0; k < 5; k++)
            foreach (var lostAck in new[] { false, true })
                foreach (var byRecovery in new[] { false, true })
                    data.Add(k, lostAck, byRecovery);
        return data;
    }

    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public async Task A_crash_during_a_reorder_then_recovery_and_the_next_trigger_leave_exactly_one_order_sent(int writesBeforeCrash)
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store);
        await r.ProductAsync("A", stock: 5, reorderPoint: 10);
        var writes = 0;
        store.BeforeCommit = (_, _, _) => { if (++writes > writesBeforeCrash) throw new Crash(); };
        // intent, claim, order, intent removed, published, SENT, supply tracks SENT
        await Assert.ThrowsAsync<Crash>(() => r.App.Reorder.AfterDropAsync("A"));
        store.BeforeCommit = null;

        var app = Fresh(store, r.Clock);
        r.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.RecoverOrders.ExecuteAsync();
        await app.Reorder.AfterDropAsync("A"); // the next drop
        await app.Reorder.AfterDropAsync("A");

        var raised = Assert.Single(await app.Outbox.ListAsync());
        Assert.Equal(PurchaseOrderStatus.Sent, (await app.PurchaseOrders.GetAsync(raised.PoId)).Status);
        var open = Assert.Single((await app.Supplies.ReadAsync("A")).Open);
        Assert.Equal((raised.PoId, PurchaseOrderStatus.Sent), (open.PoId, open.Status));
        Assert.Empty(await OpenSagasAsync(app));
    }

    private static async Task<List<OpenSaga>> OpenSagasAsync(InventoryApplication app)
    {
        var open = new List<OpenSaga>();
        await foreach (var saga in app.Orders.OpenSagasAsync(default)) open.Add(saga);
        return open;
    }

    private sealed class Crash : Exception;
}

/// <summary>Wraps a store to run an asynchronous step after chosen commits, and to yield on every call (more interleavings).</summary>
internal sealed class HookedStore(IDocumentStore inner) : IDocumentStore
{
    public Func<Collection, string, IReadOnlyList<DocumentWrite>, Task>? After { get; set; }
    /// <summary>Calls that list partitions or read across them (what periodic paths must not do).</summary>
    public int Scans => scans;
    private int scans;
    public bool YieldEachCall { get; init; }
    public StoreLimits Limits => inner.Limits;

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (YieldEachCall) await Task.Yield();
        await inner.CommitAsync(collection, partition, writes, cancellationToken);
        if (After is { } after) await after(collection, partition, writes);
    }

    public async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        if (YieldEachCall) await Task.Yield();
        return await inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
    }

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);

    public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref scans);
        return inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
    }

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref scans);
        return inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
