using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Xunit;
using Xunit.Abstractions;

namespace Inventory.Testing;

/// <summary>
/// Many requests race for one product on a real store, from several application instances (as several hosts would),
/// with coalescing on and off. Whatever the interleaving: reserved never exceeds on-hand, the outcomes add up to exactly
/// what is stored, the invariant checker agrees, and the instances really met each other (lost races were counted), so
/// the retry path was exercised. A store's test class derives from this and supplies the store, so every store runs
/// the identical code path.
/// </summary>
public abstract class ConcurrentReservationContract(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Reservers = 64;
    private IDocumentStore? store;
    private string product = null!;

    /// <summary>The store to race on, or null when it is not reachable here (the tests then skip with <see cref="SkipReason"/>).</summary>
    protected abstract Task<IDocumentStore?> CreateStoreAsync();

    /// <summary>Another client of the same data, as a second host would have (by default the same client).</summary>
    protected virtual Task<IDocumentStore> ConnectAgainAsync(IDocumentStore store) => Task.FromResult(store);

    protected virtual Task DropStoreAsync(IDocumentStore store) => Task.CompletedTask;

    protected virtual string SkipReason => "The store is not reachable here.";

    public async Task InitializeAsync()
    {
        store = await CreateStoreAsync();
        if (store is null) return;
        var s = StockScenario.Over(store);
        product = StockScenario.Id("P");
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "PICK", LocationType.PickFace);
        await s.LocationAsync("W1", "BULK");
        await s.LocationAsync("W1", "OVF", LocationType.Overflow);
        await s.ProductAsync(product);
        await s.StockAsync(product, "PICK", 20);
        await s.StockAsync(product, "BULK", 50);
        await s.StockAsync(product, "OVF", 30);
    }

    public Task DisposeAsync() => store is null ? Task.CompletedTask : DropStoreAsync(store);

    private void RequireStore() => Skip.If(store is null, SkipReason);

    /// <summary>Instances over their own clients of the store; request i goes to instance i mod n.</summary>
    /// <param name="orders">Order options (default: the service's); a claim with no exclusive time lets replays race at once.</param>
    /// <param name="readsToMeet">Product reads each instance makes before the first commits go ahead (<see cref="Meeting"/>).</param>
    private async Task<InventoryApplication[]> InstancesAsync(int count, bool coalesce, OrderOptions? orders = null, int readsToMeet = 1)
    {
        var apps = new InventoryApplication[count];
        var meeting = new Meeting(count, readsToMeet);
        for (var i = 0; i < count; i++)
            apps[i] = new InventoryApplication(new MeetingStore(i == 0 ? store! : await ConnectAgainAsync(store!), meeting),
                concurrency: new ConcurrencyOptions { Coalesce = coalesce }) { OrderOptions = orders ?? new OrderOptions() };
        return apps;
    }

    /// <summary>
    /// Holds each instance's first product commit until every instance has read the product <paramref name="reads"/> times
    /// (at most 2 s), so the instances certainly meet on one state at least once, whatever the machine's scheduling; what
    /// follows is free.
    /// </summary>
    private sealed class Meeting(int instances, int reads = 1)
    {
        public int ReadsEach => reads;

        private readonly TaskCompletionSource everyoneRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int readers;

        public void Read()
        {
            if (Interlocked.Increment(ref readers) == instances) everyoneRead.TrySetResult();
        }

        public async Task EveryoneReadAsync()
        {
            try { await everyoneRead.Task.WaitAsync(TimeSpan.FromSeconds(2)); }
            catch (TimeoutException) { }
        }
    }

    private sealed class MeetingStore(IDocumentStore inner, Meeting meeting) : IDocumentStore
    {
        private int read, committed;

        public StoreLimits Limits => inner.Limits;

        public async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            var found = await inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
            if (collection == Collection.Products && Interlocked.Increment(ref read) == meeting.ReadsEach) meeting.Read();
            return found;
        }

        public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Products && Interlocked.Exchange(ref committed, 1) == 0) await meeting.EveryoneReadAsync();
            await inner.CommitAsync(collection, partition, writes, cancellationToken);
        }

        public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default) => inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);

        public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
            int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
            inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

        public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default) =>
            inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }

    /// <summary>Starts every request at once (behind one gate), so the instances meet.</summary>
    private static async Task<T[]> RaceAsync<T>(int requests, Func<int, Task<T>> request)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, requests).Select(i => Task.Run(async () => { await start.Task; return await request(i); })).ToArray();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }

    private void AssertTheInstancesMet(InventoryApplication[] apps, string what)
    {
        var conflicts = apps.Sum(a => a.Statistics.Conflicts);
        output.WriteLine($"{what}: {apps.Sum(a => a.Statistics.Commits)} commits, {conflicts} lost races over {apps.Length} instances");
        Assert.True(conflicts > 0, $"{what}: no commit ever lost a race, so the retry path was not exercised");
    }

    public static TheoryData<ReservationPolicy, int, long, int, bool> SixtyFourCases()
    {
        var data = new TheoryData<ReservationPolicy, int, long, int, bool>();
        foreach (var (instances, coalesce) in new[] { (2, true), (2, false), (3, true), (3, false) })
        {
            data.Add(ReservationPolicy.AllOrNothing, 33, 99, instances, coalesce);
            data.Add(ReservationPolicy.Partial, 64, 100, instances, coalesce);
        }
        return data;
    }

    public static TheoryData<int, bool> Instances() => new() { { 2, true }, { 2, false }, { 3, true } };

    [SkippableTheory]
    [MemberData(nameof(SixtyFourCases))]
    public async Task Sixty_four_reservers_asking_for_more_than_there_is_never_oversell(ReservationPolicy policy, int expectedSuccesses,
        long expectedReserved, int instances, bool coalesce)
    {
        RequireStore();
        var apps = await InstancesAsync(instances, coalesce);
        var outcomes = await RaceAsync(Reservers, async i =>
        {
            try { return (Reserved: (await apps[i % instances].Reserve.ExecuteAsync(new ReserveCommand($"order-{i}", [new(product, 3)], Policy: policy))).Reservation.Lines[0].Reserved, Error: (Exception?)null); }
            catch (DomainException e) { return (Reserved: 0L, Error: e); }
        });

        var stock = await apps[0].Stock.GetStockAsync(product);
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.IsType<InsufficientStockException>(o.Error));
        Assert.Equal(expectedSuccesses, outcomes.Count(o => o.Error is null));
        Assert.Equal(expectedReserved, stock.QuantityReserved);
        Assert.Equal(outcomes.Sum(o => o.Reserved), stock.QuantityReserved);
        Assert.Equal(100, stock.QuantityOnHand);
        await new StockScenario(apps[^1]).AssertBooksBalanceAsync(product);
        AssertTheInstancesMet(apps, $"{policy}, {instances} instances, coalescing {(coalesce ? "on" : "off")}");
    }

    [SkippableTheory]
    [MemberData(nameof(Instances))]
    public async Task The_same_order_replayed_concurrently_reserves_once(int instances, bool coalesce)
    {
        RequireStore();
        // Replays that do not wait for the claimant (OrderClaim), and every instance's first commit held the meeting's whole
        // time (how many reads an instance makes first varies: a product seen active is not checked again), by which every
        // replay has read: they decide on the state the claimant decided on, and race. With the wait, they would find the
        // claimant's reservation and commit nothing (ClaimedOrderTests).
        var apps = await InstancesAsync(instances, coalesce, new OrderOptions { ClaimExclusiveMilliseconds = 0 }, readsToMeet: int.MaxValue);
        var command = new ReserveCommand("order-replayed", [new(product, 7)]);
        var results = await RaceAsync(32, i => apps[i % instances].Reserve.ExecuteAsync(command));

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(7, r.Reservation.Lines.Single().Reserved));
        Assert.Single(results.Select(r => string.Join(",", r.Reservation.Lines[0].Allocations)).Distinct());
        Assert.Equal(7, (await apps[0].Stock.GetStockAsync(product)).QuantityReserved);
        await new StockScenario(apps[^1]).AssertBooksBalanceAsync(product);
        AssertTheInstancesMet(apps, $"32 replays, {instances} instances, coalescing {(coalesce ? "on" : "off")}");
    }

    /// <summary>
    /// 24 orders of 4 (96 of 100: every reservation fits): orders 0, 3, ... ship 2 of their 4; orders 1, 4, ... release
    /// everything; orders 2, 5, ... keep their 4. So 8 × 2 = 16 shipped (on hand 84) and 8 × 2 + 8 × 4 = 48 reserved.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Instances))]
    public async Task Reservations_fulfilments_and_releases_racing_end_in_the_exact_state(int instances, bool coalesce)
    {
        RequireStore();
        var apps = await InstancesAsync(instances, coalesce);
        await RaceAsync(24, async i =>
        {
            var order = $"mixed-{i}";
            // The next step of an order goes to another instance than the one that reserved it.
            await apps[i % instances].Reserve.ExecuteAsync(new ReserveCommand(order, [new(product, 4)]));
            var next = apps[(i + 1) % instances];
            if (i % 3 == 0) await next.Fulfill.ExecuteAsync(new ReservationChangeCommand(order, [new(product, 2)]));
            if (i % 3 == 1) await next.Release.ExecuteAsync(new ReservationChangeCommand(order));
            return i;
        });

        var stock = await apps[0].Stock.GetStockAsync(product);
        Assert.Equal((84L, 48L), (stock.QuantityOnHand, stock.QuantityReserved));
        await new StockScenario(apps[^1]).AssertBooksBalanceAsync(product);
        AssertTheInstancesMet(apps, $"mixed, {instances} instances, coalescing {(coalesce ? "on" : "off")}");
    }
}
