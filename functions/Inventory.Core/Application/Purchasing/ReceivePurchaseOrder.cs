using Inventory.Application.Catalog;
using Inventory.Domain;

namespace Inventory.Application.Purchasing;

/// <summary>The message on the receipts queue.</summary>
public sealed record ReceiptMessage(string PoId, string ReceiptId, string WarehouseId, string ReceivedBy, IReadOnlyList<ReceiptMessageLine> Lines);

public sealed record ReceiptMessageLine(string ProductId, long Quantity, string? LocationId = null);

public sealed record PutAwayLine(int Line, string ProductId, long Quantity, string LocationId, bool Suggested, bool Overflowed, string? Reason);

public sealed record ReceiptOutcome(PurchaseOrder Order, IReadOnlyList<PutAwayLine> Lines, bool AlreadyApplied);

/// <summary>
/// Receives goods against a purchase order. Everything is checked before anything is written (order state, products,
/// locations, over-receipt tolerance). Then each line is one product-partition transaction whose RECEIVE is keyed by
/// receiptId and line, so a redelivery changes nothing twice; lines without a location get one from put-away. Last,
/// the order records the receipt (ETag-conditioned) and moves to PARTIAL or RECEIVED. A crash between any two steps
/// followed by redelivery ends in the state of one clean run: applied lines replay as no-ops, the order update runs once.
/// </summary>
public sealed class ReceivePurchaseOrder(
    StockCommitter committer, PurchaseOrderBook book, CatalogQueries catalog, PutAwayPlans plans, LocationLoads loads,
    TimeProvider clock, Func<PurchaseOrder, CancellationToken, Task>? onChanged = null)
{
    /// <summary>How far beyond the ordered quantity a line may be received, in percent (default 0).</summary>
    public decimal OverReceiptTolerancePercent { get; init; }

    public async Task<ReceiptOutcome> ExecuteAsync(ReceiptMessage m, CancellationToken ct = default)
    {
        Validate(m);
        var order = await book.GetAsync(m.PoId, ct);
        if (order.AppliedReceipts.Contains(m.ReceiptId))
        {
            if (onChanged is not null) await onChanged(order, ct); // a crash may have come between the order update and this
            return new ReceiptOutcome(order, [], AlreadyApplied: true);
        }
        if (m.WarehouseId != order.WarehouseId)
            throw new ValidationException("warehouseId", $"purchase order '{order.PoId}' is for warehouse '{order.WarehouseId}', not '{m.WarehouseId}'");
        var receipt = m.Lines.Select(l => new ReceiptLine(l.ProductId, l.Quantity)).ToArray();
        order.CheckReceipt(receipt, OverReceiptTolerancePercent);
        var named = new Dictionary<string, Location>(StringComparer.Ordinal);
        foreach (var id in m.Lines.Select(l => l.LocationId).OfType<string>().Distinct())
        {
            var location = await catalog.GetLocationAsync(id, ct);
            if (location.WarehouseId != order.WarehouseId)
                throw new ValidationException("lines.locationId", $"'{id}' is in warehouse '{location.WarehouseId}', not '{order.WarehouseId}'");
            named[id] = location;
        }

        var placed = new List<PutAwayLine>();
        for (var i = 0; i < m.Lines.Count; i++)
            placed.Add(await ReceiveLineAsync(m, i, named, ct));

        var received = await book.UpdateAsync(order.PoId, po => po.Receive(m.ReceiptId, receipt, OverReceiptTolerancePercent, clock.GetUtcNow()), ct);
        if (onChanged is not null) await onChanged(received, ct);
        return new ReceiptOutcome(received, placed, AlreadyApplied: false);
    }

    private async Task<PutAwayLine> ReceiveLineAsync(ReceiptMessage m, int index, Dictionary<string, Location> named, CancellationToken ct)
    {
        var line = m.Lines[index];
        var reference = $"{m.ReceiptId}:{index}";
        var loaded = await committer.LoadAsync(line.ProductId, StockRead.ForOperation(OperationKind.Receive, reference), ct);
        if (loaded.Stock.Operation(ProductStock.OperationKey(OperationKind.Receive, reference)) is { } done)
            return new PutAwayLine(index, line.ProductId, line.Quantity, done.BalancesAfter[0].LocationId, line.LocationId is null, false, "already received");

        var product = loaded.Stock.Product;
        PutAwaySuggestion? suggestion = null;
        Location location;
        if (line.LocationId is { } given)
        {
            location = named[given];
            await plans.WithPlannerAsync(m.WarehouseId, p => { p.Occupy(given, product, line.Quantity); return 0; }, ct);
        }
        else
        {
            var holding = loaded.Stock.Balances.Where(b => b.WarehouseId == m.WarehouseId && b.QuantityOnHand > 0).Select(b => b.LocationId).ToArray();
            suggestion = await plans.WithPlannerAsync(m.WarehouseId, p => p.Plan(product, line.Quantity, holding), ct);
            location = await catalog.GetLocationAsync(suggestion.LocationId, ct);
        }

        var request = new ReceiveRequest(reference, location.LocationId, line.Quantity, "PurchaseOrder", m.ReceivedBy, Planned: line.LocationId is null);
        Stock.StockMoved? moved = null;
        var record = await committer.RunAsync(line.ProductId, StockRead.ForOperation(OperationKind.Receive, reference), s =>
        {
            (var r, moved) = Stock.StockMoved.Capture(s, stock => stock.Receive(request, location, clock.GetUtcNow()));
            return r;
        }, ct, loaded);
        if (moved is not null) await loads.ApplyAsync(product, moved.Entries, ct);
        return new PutAwayLine(index, line.ProductId, line.Quantity, record.BalancesAfter[0].LocationId, suggestion is not null,
            suggestion?.Overflowed ?? false, suggestion?.Reason);
    }

    private static void Validate(ReceiptMessage m)
    {
        var guard = new Guard().Id("poId", m.PoId).Id("receiptId", m.ReceiptId).Id("warehouseId", m.WarehouseId)
            .Text("receivedBy", m.ReceivedBy, Limits.MaxIdLength)
            .That(m.Lines is { Count: > 0 and <= Limits.MaxLinesPerRequest }, "lines", $"must hold 1 to {Limits.MaxLinesPerRequest} lines");
        for (var i = 0; i < (m.Lines?.Count ?? 0); i++)
            guard.Id($"lines[{i}].productId", m.Lines![i]?.ProductId).Quantity($"lines[{i}].quantity", m.Lines[i]?.Quantity ?? 0)
                .OptionalId($"lines[{i}].locationId", m.Lines[i]?.LocationId);
        guard.ThrowIfAny();
    }
}
