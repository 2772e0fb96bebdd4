using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Xunit;
using Xunit.Abstractions;

namespace Inventory.Testing;

/// <summary>
/// Many reservers race for one product on a real store. Whatever the interleaving: reserved never exceeds on-hand,
/// the successful reservations add up to exactly what is reserved, and the invariant checker agrees. A store's test
/// class derives from this and supplies the store, so every store runs the identical code path.
/// </summary>
public abstract class ConcurrentReservationContract(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Reservers = 64;
    private IDocumentStore? store;
    private StockScenario s = null!;
    private string product = null!;

    /// <summary>The store to race on, or null when it is not reachable here (the tests then skip with <see cref="SkipReason"/>).</summary>
    protected abstract Task<IDocumentStore?> CreateStoreAsync();

    protected virtual Task DropStoreAsync(IDocumentStore store) => Task.CompletedTask;

    protected virtual string SkipReason => "The store is not reachable here.";

    public async Task InitializeAsync()
    {
        store = await CreateStoreAsync();
        if (store is null) return;
        s = StockScenario.Over(store);
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

    [SkippableTheory]
    [InlineData(ReservationPolicy.AllOrNothing, 33, 99)]
    [InlineData(ReservationPolicy.Partial, 64, 100)]
    public async Task Sixty_four_reservers_asking_for_more_than_there_is_never_oversell(ReservationPolicy policy, int expectedSuccesses, long expectedReserved)
    {
        RequireStore();
        var commitsBefore = s.App.Statistics.Commits;
        var started = DateTime.UtcNow;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Reservers).Select(i => Task.Run(async () =>
        {
            try { return (Reserved: (await s.App.Reserve.ExecuteAsync(new ReserveCommand($"order-{i}", [new(product, 3)], Policy: policy))).Reservation.Lines[0].Reserved, Error: (Exception?)null); }
            catch (DomainException e) { return (Reserved: 0L, Error: e); }
        })));
        var elapsed = DateTime.UtcNow - started;

        var stock = await s.App.Stock.GetStockAsync(product);
        var successes = outcomes.Count(o => o.Error is null);
        output.WriteLine($"{policy}: {successes} reservations accepted, {outcomes.Count(o => o.Error is InsufficientStockException)} refused for stock, " +
            $"{s.App.Statistics.Commits - commitsBefore} commits, {s.App.Statistics.Conflicts} conflicts (retries) in {elapsed.TotalMilliseconds:F0} ms");

        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.IsType<InsufficientStockException>(o.Error));
        Assert.Equal(expectedSuccesses, successes);
        Assert.Equal(expectedReserved, stock.QuantityReserved);
        Assert.Equal(outcomes.Sum(o => o.Reserved), stock.QuantityReserved);
        Assert.Equal(100, stock.QuantityOnHand);
        await s.AssertBooksBalanceAsync(product);
    }

    [SkippableFact]
    public async Task The_same_order_replayed_concurrently_reserves_once()
    {
        RequireStore();
        var command = new ReserveCommand("order-replayed", [new(product, 7)]);
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => s.App.Reserve.ExecuteAsync(command))));
        output.WriteLine($"32 replays: {results.Count(r => r.Created)} created, {s.App.Statistics.Conflicts} conflicts");

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(7, r.Reservation.Lines.Single().Reserved));
        Assert.Single(results.Select(r => string.Join(",", r.Reservation.Lines[0].Allocations))
            .Distinct());
        Assert.Equal(7, (await s.App.Stock.GetStockAsync(product)).QuantityReserved);
        await s.AssertBooksBalanceAsync(product);
    }

    [SkippableFact]
    public async Task Reservations_fulfilments_and_releases_racing_keep_the_books_balanced()
    {
        RequireStore();
        var tasks = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            var order = $"mixed-{i}";
            try
            {
                await s.App.Reserve.ExecuteAsync(new ReserveCommand(order, [new(product, 4)]));
                if (i % 3 == 0) await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand(order, [new(product, 2)]));
                if (i % 3 == 1) await s.App.Release.ExecuteAsync(new ReservationChangeCommand(order));
            }
            catch (InsufficientStockException) { }
        }));
        await Task.WhenAll(tasks);

        var stock = await s.App.Stock.GetStockAsync(product);
        var shipped = 100 - stock.QuantityOnHand;
        Assert.Equal(0, shipped % 2);
        Assert.InRange(stock.QuantityReserved, 0, stock.QuantityOnHand);
        await s.AssertBooksBalanceAsync(product);
    }
}
