using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>Every call's RU charge is published on the meter and charged to the logical operation it was made for (<see cref="OperationCost"/>).</summary>
public class RequestChargeTests
{
    [Fact]
    public async Task An_operation_totals_the_charges_of_the_calls_made_inside_it_and_only_those()
    {
        var fakes = new CosmosFakes();
        var store = fakes.Store();
        fakes.QueryPages.Enqueue([CosmosFakes.Page(2.5), CosmosFakes.Page(0.5)]);
        // A read of two pages reads its first id again (TornReadAcrossQueryPagesTests): here it is absent, as in the read, for 1 RU.
        var absent = new ResponseMessage(HttpStatusCode.NotFound);
        absent.Headers.Add("x-ms-request-charge", "1");
        fakes.Container.Setup(c => c.ReadItemStreamAsync("a", new PartitionKey("P1"), null, It.IsAny<CancellationToken>())).ReturnsAsync(absent);
        fakes.Responses.Enqueue(CosmosFakes.BatchResponse(HttpStatusCode.OK, [HttpStatusCode.Created], charge: 6.25));
        fakes.QueryPages.Enqueue([CosmosFakes.Page(100)]);

        double outer, inner;
        using (var reservation = OperationCost.Begin("reserve"))
        {
            await store.ReadAsync(Collection.Products, "P1", ["a", "b"], []);
            using (var commit = OperationCost.Begin("commit"))
            {
                await store.CommitAsync(Collection.Products, "P1", [new DocumentWrite.Create("c", "{}")]);
                inner = commit.Units;
            }
            outer = reservation.Units;
            Assert.Equal(4, reservation.Calls); // two query pages, the guard's point read, the commit
        }
        await store.ReadAsync(Collection.Products, "P1", ["a", "b"], []);

        Assert.Equal(6.25, inner);
        Assert.Equal(10.25, outer);
    }

    [Fact]
    public async Task Each_charge_is_recorded_on_the_histogram_with_operation_and_collection()
    {
        var seen = new List<(double Value, string? Operation, string? Collection)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RequestCharges.MeterName && instrument.Name == RequestCharges.HistogramName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            string? Tag(string name) => all.FirstOrDefault(t => t.Key == name).Value as string;
            lock (seen) seen.Add((value, Tag("operation"), Tag("collection")));
        });
        listener.Start();
        var fakes = new CosmosFakes();
        fakes.Responses.Enqueue(CosmosFakes.BatchResponse(HttpStatusCode.OK, [HttpStatusCode.Created], charge: 12.375));

        await fakes.Store().CommitAsync(Collection.Holds, "20260301", [new DocumentWrite.Upsert("h", "{}")]);

        lock (seen) Assert.Contains((12.375, "commit", "Holds"), seen);
    }
}
