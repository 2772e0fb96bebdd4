using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Issue 12, defects 3, 4, 5 and 7 on the application: a change over several products refuses before anything is
/// applied or reports per line; a reference is bound to its whole request; derived references are canonical; a forced
/// shortage is a typed refusal; no document grows with the changes applied.
/// </summary>
public class ReservationChangeTests
{
    private readonly InMemoryDocumentStore store = new();

    private async Task<InventoryApplication> ReservedAsync(long a = 4, long b = 3)
    {
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", a), new("B", b)]));
        return s.App;
    }

    [Fact]
    public async Task A_change_one_product_refuses_is_refused_whole_with_nothing_applied()
    {
        var app = await ReservedAsync();
        await app.Release.ExecuteAsync(new ReservationChangeCommand("O1", [new("B")]));

        await Assert.ThrowsAsync<InvalidStateException>(() => app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 2), new("B", 1)], "ship-1")));

        Assert.Equal((10L, 4L), ((await app.Stock.GetStockAsync("A")).QuantityOnHand, (await app.Stock.GetStockAsync("A")).QuantityReserved));
        Assert.Empty(await app.Orders.OpenIntentsAsync("O1", default));
        // Nothing bound the reference: the corrected request goes through under it.
        var shipped = await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 2)], "ship-1"));
        Assert.Equal(2, shipped.Lines.Single(l => l.ProductId == "A").Shipped);
    }

    [Fact]
    public async Task Fulfilling_everything_ships_what_is_held_and_says_which_lines_held_nothing()
    {
        var app = await ReservedAsync();
        await app.Release.ExecuteAsync(new ReservationChangeCommand("O1", [new("B")]));

        var view = await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1"));

        Assert.Equal(OrderReservationStatus.Fulfilled, view.Status);
        Assert.Equal([("A", 4L, ChangeLine.Applied), ("B", 0L, ChangeLine.NothingHeld)],
            view.Change!.Lines.Select(l => (l.ProductId, l.Quantity, l.Outcome)));
        Assert.Equal(6, (await app.Stock.GetStockAsync("A")).QuantityOnHand);
    }

    [Fact]
    public async Task A_step_refused_by_a_change_that_raced_in_is_reported_on_its_line_not_thrown()
    {
        await ReservedAsync();
        var crashing = new FaultyStore(store);
        crashing.Arm(2, FaultSide.LostAcknowledgement); // enlisted, the intent recorded, then the process dies
        var command = new ReservationChangeCommand("O1", [new("A", 2), new("B", 3)], "ship-1");
        await Assert.ThrowsAsync<StoreFaultException>(() => new InventoryApplication(crashing).Fulfill.ExecuteAsync(command));
        var app = new InventoryApplication(store);
        await app.Release.ExecuteAsync(new ReservationChangeCommand("O1", [new("B")])); // races in before the retry

        var view = await app.Fulfill.ExecuteAsync(command);

        Assert.Equal(ChangeLine.Applied, view.Change!.Lines[0].Outcome);
        Assert.Equal((ChangeLine.Refused, "invalid-state"), (view.Change.Lines[1].Outcome, view.Change.Lines[1].Code));
        Assert.Equal(2, view.Lines.Single(l => l.ProductId == "A").Shipped);
        Assert.Equal(0, view.Lines.Single(l => l.ProductId == "B").Shipped);
        Assert.Equal(view.Change.Lines, (await app.Fulfill.ExecuteAsync(command)).Change!.Lines); // a replay answers the recorded outcome
    }

    [Fact]
    public async Task A_reference_is_bound_to_its_whole_request_across_products()
    {
        var app = await ReservedAsync();
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 1)], "ship-77"));

        await Assert.ThrowsAsync<ReferenceConflictException>(() => app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("B", 1)], "ship-77")));
        await Assert.ThrowsAsync<ReferenceConflictException>(() => app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 1), new("B", 1)], "ship-77")));
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 1)], "ship-77")); // the same request: a replay

        Assert.Equal((9L, 0L), ((await app.Stock.GetStockAsync("A")).QuantityOnHand, 10 - (await app.Stock.GetStockAsync("B")).QuantityOnHand));
    }

    [Fact]
    public async Task A_callers_reference_never_meets_a_derived_one()
    {
        var app = await ReservedAsync();
        await app.Release.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 1)], "all"));
        var view = await app.Release.ExecuteAsync(new ReservationChangeCommand("O1")); // derived "all": another request
        Assert.Equal(0, view.Lines.Sum(l => l.Remaining));
    }

    [Fact]
    public async Task Derived_references_are_canonical_lines_merged_and_sorted()
    {
        var app = await ReservedAsync(a: 6, b: 3);
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 1), new("B", 1), new("A", 2)]));
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("B", 1), new("A", 2), new("A", 1)]));
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 3), new("B", 1)]));

        Assert.Equal(7, (await app.Stock.GetStockAsync("A")).QuantityOnHand);
        Assert.Equal(9, (await app.Stock.GetStockAsync("B")).QuantityOnHand);
    }

    [Fact]
    public async Task Fulfilling_after_a_forced_shortage_is_a_typed_refusal_that_changes_nothing()
    {
        var app = await ReservedAsync(a: 5);
        await app.Adjust.ExecuteAsync(new Inventory.Application.Stock.AdjustCommand("A", "L1", null, 2, "damaged", "count-1", Force: true));

        var refused = await Assert.ThrowsAsync<InsufficientStockException>(() => app.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A")])));

        Assert.Equal(new ShortLine("A", 5, 2), Assert.Single(refused.Lines));
        Assert.Equal((2L, 5L), ((await app.Stock.GetStockAsync("A")).QuantityOnHand, (await app.Stock.GetStockAsync("A")).QuantityReserved));
        Assert.Empty(await app.Orders.OpenIntentsAsync("O1", default));
    }

    /// <summary>The largest document of the service is bounded (docs/architecture.md, "Workflows"): proven on 1,000 partial fulfilments.</summary>
    [Fact]
    public async Task A_thousand_partial_fulfilments_grow_no_document()
    {
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("P");
        await s.StockAsync("P", "L1", 1_100);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("P", 1_050)]));
        var reservationSize = await LargestAsync(Collection.Products, "P", "rsb|");

        var padding = new string('r', 110);
        for (var i = 0; i < 1_000; i++)
            await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("P", 1)], $"{padding}-{i:D6}"));
        await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("P", 1)], $"{padding}-{0:D6}")); // still a replay

        Assert.Equal((100L, 50L), ((await s.App.Stock.GetStockAsync("P")).QuantityOnHand, (await s.App.Stock.GetStockAsync("P")).QuantityReserved));
        Assert.InRange(await LargestAsync(Collection.Products, "P", "rsb|"), 0, reservationSize + 64); // shipped counters only
        Assert.InRange(await LargestAsync(Collection.Products, "P", ""), 0, 2 * 1024);
        Assert.InRange(await LargestAsync(Collection.Orders, "O1", ""), 0, 2 * 1024);
        Assert.InRange(await LargestAsync(Collection.Orders, OrderHeaders.HeaderPartition("O1"), ""), 0, 2 * 1024); // the header
        var released = await s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1"));
        Assert.Equal((1_000L, 50L, 0L), (released.Lines[0].Shipped, released.Lines[0].Released, released.Lines[0].Remaining));
        await s.AssertBooksBalanceAsync("P");
    }

    [Fact]
    public void The_largest_intent_fits_every_stores_document_limit()
    {
        var id = new string('p', Limits.MaxIdLength);
        var intent = new ChangeIntent
        {
            OrderId = new string('o', Limits.MaxIdLength), Kind = ChangeKind.Fulfil, Reference = new string('r', Limits.MaxIdLength),
            Fingerprint = new string('f', 32), PerformedBy = id, CreatedAt = DateTimeOffset.MaxValue, CompletedAt = DateTimeOffset.MaxValue,
            Lines = Enumerable.Range(0, Limits.MaxLinesPerRequest)
                .Select(i => new ChangeLine($"{id[..^3]}{i:D3}", Limits.MaxQuantity, ChangeLine.NothingHeld, "concurrency-exhausted")).ToArray(),
        };
        // Table Storage holds the body in one string property of 64 KiB (UTF-16): 32,768 characters.
        Assert.InRange(DocumentJson.Write(intent).Length, 0, 32 * 1024);
    }

    private async Task<int> LargestAsync(Collection collection, string partition, string prefix) =>
        (await store.ReadAsync(collection, partition, [], [prefix])).Max(d => d.Body.Length);
}
