using Inventory.Application.Catalog;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Application.Purchasing;

/// <summary>The message on the receipts queue.</summary>
public sealed record ReceiptMessage(string PoId, string ReceiptId, string WarehouseId, string ReceivedBy, IReadOnlyList<ReceiptMessageLine> Lines);

public sealed record ReceiptMessageLine(string ProductId, long Quantity, string? LocationId = null);

public sealed record PutAwayLine(int Line, string ProductId, long Quantity, string LocationId, bool Suggested, bool Overflowed, string? Reason);

public sealed record ReceiptOutcome(PurchaseOrder Order, IReadOnlyList<PutAwayLine> Lines, bool AlreadyApplied);

/// <summary>
/// Receives goods against a purchase order, a saga coordinated by the order document: (1) the order accepts the receipt
/// under its ETag (state allows it, within what is outstanding plus tolerance counting receipts still pending, products
/// on the order, named locations in its warehouse) and records it as pending with its lines; a refusal writes nothing;
/// (2) each line is one product-partition transaction keyed by <see cref="ReceiptReference"/>, lines without a location
/// put away by the planner; (3) the order marks the receipt applied and moves to PARTIAL or RECEIVED. A cancel or a
/// second receipt meets the pending receipt on the order, so stock received always equals what the orders record.
/// Each receipt is enlisted in the open-saga index before the order accepts it and delisted once applied, so
/// <see cref="RecoverOrders"/> finishes one left pending by a crash; redelivery finishes it from the order's record too.
/// After each line (also one found received before) <paramref name="afterStock"/> runs with its movement (location
/// loads); after the order is saved (also when found saved before) <paramref name="afterChange"/> runs (supply tracking).
/// </summary>
public sealed class ReceivePurchaseOrder(
    StockCommitter committer, PurchaseOrderBook book, OrderHeaders headers, CatalogQueries catalog, PutAwayPlans plans, AfterStockCommit afterStock,
    TimeProvider clock, AfterPurchaseOrderChange? afterChange = null) : IOrderSaga
{
    /// <summary>The kind of a receipt's entry in the open-saga index, <c>receipt|{poId}|{receiptId}</c> (ids cannot hold '|').</summary>
    public const string SagaKind = "receipt";
    public string Kind => SagaKind;

    public static string SagaId(string poId, string receiptId) => $"{poId}|{receiptId}";

    /// <summary>How far beyond the ordered quantity a line may be received, in percent (default 0).</summary>
    public decimal OverReceiptTolerancePercent { get; init; }

    /// <summary>Brings a line's balance to its location's type if a retype raced the receipt (null: not checked).</summary>
    public BalanceTypeCopies? Types { get; init; }

    public async Task<ReceiptOutcome> ExecuteAsync(ReceiptMessage m, CancellationToken ct = default)
    {
        Validate(m);
        var order = await book.GetAsync(m.PoId, ct);
        var fingerprint = ReceiptFingerprint.Of(m.Lines.Select(l => (l.ProductId, l.Quantity, l.LocationId)));
        order.CheckSameReceipt(m.ReceiptId, fingerprint); // another receipt under an id already taken: refused, nothing written
        if (order.AppliedReceipts.Contains(m.ReceiptId))
        {
            await ChangedAsync(order, ct); // a crash may have come between the order update and this
            await headers.DelistAsync(SagaKind, SagaId(order.PoId, m.ReceiptId), ct); // or between it and the delisting
            return new ReceiptOutcome(order, [], AlreadyApplied: true);
        }
        if (order.Pending(m.ReceiptId) is null)
        {
            if (m.WarehouseId != order.WarehouseId)
                throw new ValidationException("warehouseId", $"purchase order '{order.PoId}' is for warehouse '{order.WarehouseId}', not '{m.WarehouseId}'");
            order.CheckReceipt(m.Lines.Select(l => new ReceiptLine(l.ProductId, l.Quantity)).ToArray(), OverReceiptTolerancePercent);
            foreach (var id in m.Lines.Select(l => l.LocationId).OfType<string>().Distinct())
            {
                var location = await catalog.GetLocationAsync(id, ct);
                if (location.WarehouseId != order.WarehouseId)
                    throw new ValidationException("lines.locationId", $"'{id}' is in warehouse '{location.WarehouseId}', not '{order.WarehouseId}'");
            }
            var lines = await PlaceAsync(order.PoId, m.ReceiptId, order.WarehouseId, m.Lines, ct);
            // Enlisted before the order accepts it, so RecoverOrders finishes a receipt accepted and then left by a crash.
            await headers.EnlistAsync(SagaKind, SagaId(order.PoId, m.ReceiptId), clock.GetUtcNow(), ct);
            try
            {
                order = await book.UpdateAsync(order.PoId, po => po.Accept(m.ReceiptId, m.ReceivedBy, lines, OverReceiptTolerancePercent, clock.GetUtcNow(), fingerprint), ct);
            }
            catch (ReferenceConflictException)
            {
                throw; // another receipt took the id meanwhile: the open-saga entry is that receipt's now (same key), left to it
            }
            catch (DomainException)
            {
                plans.Forget(order.WarehouseId, m.Lines.Select((_, i) => ReceiptReference.ForPurchaseOrder(order.PoId, m.ReceiptId, i)));
                await headers.DelistAsync(SagaKind, SagaId(order.PoId, m.ReceiptId), CancellationToken.None); // refused: nothing in flight
                throw;
            }
            ct = CancellationToken.None; // accepted: from here the saga runs to its end
            if (order.AppliedReceipts.Contains(m.ReceiptId))
            {
                await headers.DelistAsync(SagaKind, SagaId(order.PoId, m.ReceiptId), ct);
                return new ReceiptOutcome(order, [], AlreadyApplied: true);
            }
        }
        return await FinishAsync(order, order.Pending(m.ReceiptId)!, ct);
    }

    /// <summary>
    /// Recovery of one receipt's entry: finishes the receipt if the order holds it pending; an entry whose receipt was
    /// applied (a crash before the delisting) or never accepted (a crash before the order's update, or a refusal) is removed.
    /// </summary>
    async Task IOrderSaga.ResumeAsync(string orderId, CancellationToken ct)
    {
        var separator = orderId.IndexOf('|', StringComparison.Ordinal);
        if (separator < 0) return;
        var (poId, receiptId) = (orderId[..separator], orderId[(separator + 1)..]);
        var order = await book.FindAsync(poId, ct);
        if (order?.Pending(receiptId) is { } pending) await FinishAsync(order, pending, ct);
        else
        {
            if (order is not null && order.AppliedReceipts.Contains(receiptId)) await ChangedAsync(order, ct);
            await headers.DelistAsync(SagaKind, orderId, ct);
        }
    }

    /// <summary>Finishes every receipt the order accepted and has not applied (recovery); returns how many.</summary>
    public async Task<int> ResumeAsync(string poId, CancellationToken ct = default)
    {
        var order = await book.GetAsync(poId, ct);
        foreach (var pending in order.PendingReceipts) await FinishAsync(order, pending, ct);
        // Nothing pending: a run may have died between marking its receipt applied and updating the products' supply.
        if (order.PendingReceipts.Count == 0) await ChangedAsync(order, ct);
        return order.PendingReceipts.Count;
    }

    /// <summary>Steps 2 and 3: the stock lines (each idempotent by its reference), then the order marks the receipt applied.</summary>
    private async Task<ReceiptOutcome> FinishAsync(PurchaseOrder order, PendingReceipt receipt, CancellationToken ct)
    {
        var placed = new List<PutAwayLine>();
        for (var i = 0; i < receipt.Lines.Count; i++)
            placed.Add(await ReceiveLineAsync(order, receipt, i, ct));
        var received = await book.UpdateAsync(order.PoId, po => po.CompleteReceipt(receipt.ReceiptId, clock.GetUtcNow()), ct);
        await ChangedAsync(received, ct);
        await headers.DelistAsync(SagaKind, SagaId(order.PoId, receipt.ReceiptId), ct);
        return new ReceiptOutcome(received, placed, AlreadyApplied: false);
    }

    private async Task<PutAwayLine> ReceiveLineAsync(PurchaseOrder order, PendingReceipt receipt, int index, CancellationToken ct)
    {
        var line = receipt.Lines[index];
        var reference = ReceiptReference.ForPurchaseOrder(order.PoId, receipt.ReceiptId, index);
        var read = StockRead.ForOperation(OperationKind.Receive, reference);
        var loaded = await committer.LoadAsync(line.ProductId, read, ct);
        if (loaded.Stock.Operation(ProductStock.OperationKey(OperationKind.Receive, reference)) is { } done)
        {
            await afterStock.RunAsync(StockChanged.Of(StockMoved.Found(loaded.Stock)), ct); // a crash may have come between the line and its loads
            if (Types is not null) await Types.FollowAsync(line.ProductId, done.BalancesAfter, ct); // ... or its type check
            return new PutAwayLine(index, line.ProductId, line.Quantity, done.BalancesAfter[0].LocationId, line.LocationId is null, false, "already received");
        }

        var product = loaded.Stock.Product;
        PutAwaySuggestion? suggestion = line.Suggested;
        Location location;
        if (line.PlacedAt is { } placed) location = await catalog.GetLocationAsync(placed, ct); // the planner took it in at acceptance
        else if (line.LocationId is { } given)
        {
            location = await catalog.GetLocationAsync(given, ct);
            await plans.WithPlannerAsync(order.WarehouseId, p => { p.Occupy(given, product, line.Quantity); return 0; },
                _ => [new Placement(reference, given, product, line.Quantity)], ct);
        }
        else
        {
            var holding = Holding(loaded.Stock, order.WarehouseId);
            suggestion = await plans.WithPlannerAsync(order.WarehouseId, p => p.Plan(product, line.Quantity, holding),
                s => [new Placement(reference, s.LocationId, product, line.Quantity)], ct);
            location = await catalog.GetLocationAsync(suggestion.LocationId, ct);
        }

        var request = new ReceiveRequest(reference, location.LocationId, line.Quantity, "PurchaseOrder", receipt.ReceivedBy, Planned: line.LocationId is null);
        var (record, moved) = await committer.RunAsync(line.ProductId, read,
            s => StockMoved.Capture(s, stock => stock.Receive(request, location, clock.GetUtcNow())), ct, loaded);
        if (Types is not null) await Types.FollowAsync(line.ProductId, record.BalancesAfter, ct);
        await afterStock.RunAsync(StockChanged.Of(moved), ct);
        return new PutAwayLine(index, line.ProductId, line.Quantity, record.BalancesAfter[0].LocationId, suggestion is not null,
            suggestion?.Overflowed ?? false, suggestion?.Reason);
    }

    /// <summary>
    /// Places every line before the order accepts the receipt: a line without a location is planned now and its location
    /// recorded on the pending receipt, so applying it never plans again. A receipt the planner cannot place (nothing has
    /// room and the warehouse has no OVERFLOW location) is refused with nothing written: found while applying, the refusal
    /// came after earlier lines had moved stock, or after the order had accepted it (another receipt took the last room
    /// meanwhile), and the receipt stayed pending for good. Tried in line order on a copy of the planner first, then taken
    /// into the planner itself (what a refusal of the order then leaves counted there lasts until its next rebuild), and
    /// kept in flight there until each line lands.
    /// </summary>
    private async Task<PendingReceiptLine[]> PlaceAsync(string poId, string receiptId, string warehouseId, IReadOnlyList<ReceiptMessageLine> lines,
        CancellationToken ct)
    {
        var products = new Dictionary<string, (Product Product, string[] Holding)>(StringComparer.Ordinal);
        foreach (var id in lines.Select(l => l.ProductId).Distinct(StringComparer.Ordinal))
            products[id] = lines.Any(l => l.ProductId == id && l.LocationId is null) ? await HoldingAsync(id, warehouseId, ct) : (await catalog.GetProductAsync(id, ct), []);
        return await plans.WithPlannerAsync(warehouseId, planner =>
        {
            Place(planner.Trial(), lines, products);
            return Place(planner, lines, products);
        }, placed => placed.Select((line, i) =>
            new Placement(ReceiptReference.ForPurchaseOrder(poId, receiptId, i), line.PlacedAt!, products[line.ProductId].Product, line.Quantity)), ct);
    }

    /// <summary>The product and the locations of the warehouse already holding it, which put-away fills first.</summary>
    private async Task<(Product, string[])> HoldingAsync(string productId, string warehouseId, CancellationToken ct)
    {
        var stock = (await committer.LoadAsync(productId, StockRead.BalancesOnly, ct)).Stock;
        return (stock.Product, Holding(stock, warehouseId));
    }

    private static string[] Holding(ProductStock stock, string warehouseId) =>
        stock.Balances.Where(b => b.WarehouseId == warehouseId && b.QuantityOnHand > 0).Select(b => b.LocationId).ToArray();

    /// <summary>In line order; a line's location counts as holding its product for the lines after it, as when applied one by one.</summary>
    private static PendingReceiptLine[] Place(PutAwayPlanner planner, IReadOnlyList<ReceiptMessageLine> lines,
        Dictionary<string, (Product Product, string[] Holding)> products)
    {
        var holding = products.ToDictionary(p => p.Key, p => p.Value.Holding.ToList(), StringComparer.Ordinal);
        return lines.Select(line =>
        {
            var product = products[line.ProductId].Product;
            var held = holding[line.ProductId];
            if (line.LocationId is { } given) planner.Occupy(given, product, line.Quantity);
            var suggested = line.LocationId is null ? planner.Plan(product, line.Quantity, held) : null;
            if ((line.LocationId ?? suggested?.LocationId) is { } at && !held.Contains(at)) held.Add(at);
            return new PendingReceiptLine(line.ProductId, line.Quantity, line.LocationId, suggested, Placed: true);
        }).ToArray();
    }

    private Task ChangedAsync(PurchaseOrder order, CancellationToken ct) =>
        afterChange is null ? Task.CompletedTask : afterChange.RunAsync(new PurchaseOrderChanged(order), ct);

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
