using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Found in review: the nightly scan counts only domain errors and write conflicts as a product's error. A publish that
/// fails (Service Bus or the outbox's store times out: its answer is lost) escapes <c>EvaluateAsync</c>, cancels the whole
/// page and ends the run: the page's counts are never saved, every product after it goes unscanned, and the run stays
/// RUNNING. Nothing runs it again that day (the timer fires once; tomorrow is another run id).
/// </summary>
public class OneFailedPublishDoesNotAbandonTheNightsScanTests
{
    [Fact]
    public async Task A_publish_whose_answer_is_lost_is_one_error_and_the_rest_of_the_catalogue_is_still_ordered()
    {
        var store = new InMemoryDocumentStore();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero));
        var flaky = new LosesFirstAnswer(new OutboxPublisher(store));
        var app = new InventoryApplication(store, clock)
        {
            ReplenishmentOptions = new ReplenishmentOptions { ScanPageSize = 2, ScanParallelism = 1, DefaultWarehouseId = "W1" },
            Publisher = flaky,
        };
        var setup = new ReplenishmentScenario { App = app, Clock = clock };
        await new StockScenario(app).WarehouseAsync("W1");
        await new StockScenario(app).LocationAsync("W1", "L1");
        for (var i = 0; i < 6; i++) await setup.ProductAsync($"P{i:D2}", stock: 1);

        var run = await app.ReplenishmentScan.ExecuteAsync(); // throws StoreUnavailableException

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(6, run.Scanned);
        Assert.True((await app.Outbox.ListAsync()).Count >= 5, "the products after the failed publish were not ordered");
    }

    /// <summary>Publishes, then loses the answer of the first publish (the message went out; the caller sees a timeout).</summary>
    private sealed class LosesFirstAnswer(IPurchaseOrderPublisher inner) : IPurchaseOrderPublisher
    {
        private int calls;

        public async Task PublishAsync(PurchaseOrder order, CancellationToken ct = default)
        {
            await inner.PublishAsync(order, ct);
            if (Interlocked.Increment(ref calls) == 1) throw new StoreUnavailableException("test", "the answer was lost");
        }
    }
}
