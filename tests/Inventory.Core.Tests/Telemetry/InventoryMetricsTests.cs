using System.Diagnostics.Metrics;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Core.Tests.Coalescing;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Telemetry;

/// <summary>
/// The meter <c>Inventory</c> publishes what operators size the service by: reservations by outcome, lost races,
/// coalesced batch sizes, quarantined messages, RU per operation. Only measurements made on this test's own flows are
/// counted, so work of other tests cannot disturb the numbers; the one exception is the size of a shared batch, which is
/// measured in no caller's flow (issue 11: a batch's commit does not run in its first caller's context), so this class
/// runs alone.
/// </summary>
[Collection(Name)]
public sealed class InventoryMetricsTests : IDisposable
{
    public const string Name = "Inventory meter (runs alone)";

    private static readonly AsyncLocal<bool> Mine = new();
    private readonly MeterListener listener = new();
    private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> seen = [];

    public InventoryMetricsTests()
    {
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == InventoryMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!Mine.Value && instrument.Name != InventoryMetrics.BatchSize) return;
        var copy = new Dictionary<string, object?>();
        foreach (var t in tags) copy[t.Key] = t.Value;
        lock (seen) seen.Add((instrument.Name, value, copy));
    }

    private (string Name, double Value, Dictionary<string, object?> Tags)[] Seen(string name)
    {
        lock (seen) return seen.Where(s => s.Name == name).ToArray();
    }

    private static async Task<(InventoryApplication App, GatedStore Gate, ChargingStore Charging)> SetUpAsync()
    {
        var charging = new ChargingStore(new InMemoryDocumentStore());
        var gate = new GatedStore(charging);
        var s = new StockScenario(new InventoryApplication(gate, new ManualClock(HotProduct.Now), new ConcurrencyOptions()));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1", LocationType.PickFace);
        await s.ProductAsync("P");
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("P", "L1", 3, "opening"));
        return (s.App, gate, charging);
    }

    [Fact]
    public async Task Reservations_are_counted_by_outcome_and_a_coalesced_commit_records_its_batch_size()
    {
        Mine.Value = true;
        var (app, gate, _) = await SetUpAsync();
        gate.Close();
        var blocker = app.Receive.ExecuteAsync(new ReceiveCommand("P", "L1", 1, "blocker"));
        await gate.Blocked;
        var orders = Enumerable.Range(0, 5).Select(i => app.Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new("P", 1)]))).ToArray();
        gate.Open();
        await blocker;
        var outcomes = await Task.WhenAll(orders.Select(o => o.ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default)));
        await app.Reserve.ExecuteAsync(new ReserveCommand("O0", [new("P", 1)])); // a replay

        Assert.Equal(4, outcomes.Count(ok => ok)); // 4 units: 4 reserved, 1 refused
        var byOutcome = Seen(InventoryMetrics.Reservations).GroupBy(s => (string)s.Tags["outcome"]!).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        Assert.Equal(new Dictionary<string, double> { ["Reserved"] = 4, ["rejected"] = 1, ["replayed"] = 1 }, byOutcome);
        Assert.Contains(Seen(InventoryMetrics.BatchSize), s => s.Value > 1);
    }

    [Fact]
    public async Task A_lost_race_is_counted_as_a_conflict()
    {
        Mine.Value = true;
        var (app, _, charging) = await SetUpAsync();
        charging.ConflictsToInject = 2;

        await app.Receive.ExecuteAsync(new ReceiveCommand("P", "L1", 1, "raced"));

        Assert.Equal(2, Seen(InventoryMetrics.Conflicts).Sum(s => s.Value));
    }

    [Fact]
    public async Task A_quarantined_message_is_counted_with_its_queue_and_reason()
    {
        Mine.Value = true;
        var (app, _, _) = await SetUpAsync();

        await app.Quarantine.PutAsync("receipts", "m1", "malformed-json", "not JSON", "{", 1);

        var q = Assert.Single(Seen(InventoryMetrics.Quarantined));
        Assert.Equal(("receipts", "malformed-json"), ((string)q.Tags["queue"]!, (string)q.Tags["reason"]!));
    }

    [Fact]
    public async Task The_cost_of_an_operation_is_recorded_per_operation_when_it_ends()
    {
        Mine.Value = true;
        var (app, _, _) = await SetUpAsync();

        using (Storage.OperationCost.Begin("GetStock")) await app.Stock.GetStockAsync("P");

        var cost = Assert.Single(Seen(InventoryMetrics.OperationRequestCharge));
        Assert.Equal("GetStock", cost.Tags["operation"]);
        Assert.True(cost.Value > 0);
    }

    public void Dispose() => listener.Dispose();
}

[CollectionDefinition(InventoryMetricsTests.Name, DisableParallelization = true)]
public sealed class InventoryMeterCollection;
