using System.Text.Json;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Product P with 10 units at pick face L1 and 5 in bulk L2, over an in-memory store behind a <see cref="GatedStore"/>.
/// <see cref="InOneBatchAsync"/> starts requests while a commit of P is held in flight, so they queue in the order given
/// and are decided as one batch (or as many as the limits need) once it lands.
/// </summary>
internal sealed class HotProduct
{
    public const string Id = "P";
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private HotProduct(InventoryApplication app, GatedStore store, InMemoryDocumentStore memory)
    {
        App = app;
        Store = store;
        Memory = memory;
    }

    public InventoryApplication App { get; }
    public GatedStore Store { get; }
    public InMemoryDocumentStore Memory { get; }
    public StockScenario Scenario => new(App);

    /// <param name="underGate">Wraps the in-memory store below the gate (e.g. to let another instance win a held commit's race).</param>
    /// <param name="ledger">Ledger options (checkpoints, archival) and the archive they may use.</param>
    public static async Task<HotProduct> CreateAsync(ConcurrencyOptions? options = null, int maxWrites = 100, StoreLimits? limits = null,
        Func<IDocumentStore, IDocumentStore>? underGate = null, LedgerOptions? ledger = null, ILedgerArchive? archive = null, TimeProvider? clock = null,
        OrderOptions? orders = null)
    {
        var memory = new InMemoryDocumentStore(maxWrites);
        var store = new GatedStore(underGate?.Invoke(memory) ?? memory, limits);
        var s = new StockScenario(new InventoryApplication(store, clock ?? new ManualClock(Now), options ?? new ConcurrencyOptions(), ledger: ledger, archive: archive)
        {
            OrderOptions = orders ?? new OrderOptions(),
        });
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1", LocationType.PickFace);
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync(Id);
        await s.App.Receive.ExecuteAsync(new ReceiveCommand(Id, "L1", 10, "opening-L1"));
        await s.App.Receive.ExecuteAsync(new ReceiveCommand(Id, "L2", 5, "opening-L2"));
        return new HotProduct(s.App, store, memory);
    }

    /// <summary>Holds a commit of P in flight, starts the requests one after the other, then lets the commit land.</summary>
    /// <param name="blocker">The reference of the receipt held in flight (a new one for each batch of one product).</param>
    public async Task<Task<T>[]> InOneBatchAsync<T>(IReadOnlyList<Func<Task<T>>> requests, string blocker = "blocker")
    {
        Store.Close();
        var blocking = App.Receive.ExecuteAsync(new ReceiveCommand(Id, "L2", 1, blocker));
        await Store.Blocked;
        var started = new List<Task<T>>();
        foreach (var request in requests)
        {
            var waitingBefore = App.Committer.Queues.Waiting(Id);
            var task = request();
            // Every store call here completes synchronously, so a request has queued (or finished) by the time it returns.
            Assert.True(task.IsCompleted || App.Committer.Queues.Waiting(Id) == waitingBefore + 1, "a request did not queue behind the commit in flight");
            started.Add(task);
        }
        Store.Open();
        await blocking;
        await Task.WhenAll(started.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        return started.ToArray();
    }

    /// <summary>
    /// Every document of P's partition (head, balances, reservations, operations, ledger), bodies by id; the ledger entry
    /// by entry and open reservations one by one, as if under <c>res|</c> (a commit packs its entries and its new orders'
    /// reservations into one document each, so requests coalesced or not pack them differently).
    /// </summary>
    public async Task<IReadOnlyList<string>> PartitionAsync()
    {
        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await Memory.QueryAsync(Collection.Products, Id, "", 1000, token);
            // A refused change step's record names its run (random), and concurrent drivers of one run share one: left out.
            all.AddRange(page.Documents.Where(d => !d.Id.StartsWith(ProductPartitionIds.OperationPrefix + "refusal|", StringComparison.Ordinal))
                .SelectMany(d => d.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal)
                ? LedgerPack.Read(d.Body).Reverse().Select(e => $"{ProductPartitionIds.Ledger(e.Sequence)} => {DocumentJson.Write(e)}")
                : d.Id.StartsWith(ProductPartitionIds.PackPrefix, StringComparison.Ordinal)
                ? ReservationWrites.Packed(d.Body).Select(r => $"{ProductPartitionIds.Reservation(r.OrderId)} => {DocumentJson.Write(r)}")
                : [$"{d.Id} => {d.Body}"]));
            token = page.ContinuationToken;
        } while (token is not null);
        return all.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// What a caller saw: its result as JSON, or the refusal's type and message. Only refusals (domain errors) are
    /// outcomes; anything else escapes and fails the test, so two runs failing alike never pass as equivalent.
    /// </summary>
    public static async Task<string> OutcomeAsync<T>(Task<T> task)
    {
        try { return "ok " + JsonSerializer.Serialize(await task, DocumentJson.Options); }
        catch (DomainException e) when (e is not ConcurrencyExhaustedException) { return $"{e.GetType().Name}: {e.Message}"; }
    }
}
