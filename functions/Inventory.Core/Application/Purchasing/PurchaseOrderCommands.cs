using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

public sealed record CreatePurchaseOrderCommand(string? PoId, string SupplierId, string WarehouseId, DateOnly ExpectedDate,
    IReadOnlyList<OrderLine> Lines, PurchaseOrderOrigin Origin = PurchaseOrderOrigin.Manual);

/// <summary>The intent of a purchase order being created, kept in its open-saga entry until the order exists and its products track it.</summary>
public sealed record PurchaseOrderIntent(string Kind, string OrderId, DateTimeOffset Since, PurchaseOrder Order);

/// <summary>
/// Creates a DRAFT purchase order as a saga over its products' partitions and its own: (1) the intent (the order to be)
/// is enlisted in the open-saga index; (2) each product's <c>supply</c> is claimed for the order under its ETag, so the
/// reorder guard counts the order before it exists; (3) the order is created (idempotent by poId); (4) each product
/// tracks the order as created (a claim for a product the stored order does not name is dropped); (5) delisted.
/// From (1) on the saga ignores the caller's cancellation; a retry with the same poId, or <see cref="RecoverOrders"/>
/// (kind <see cref="SagaKind"/>), finishes it from the intent. A repeat of an existing poId returns the order as it is.
/// A creation finished by recovery is handed to <paramref name="afterChange"/> (a replenishment order is then sent).
/// </summary>
public sealed class CreatePurchaseOrder(PurchaseOrderBook book, ProductSupplies supplies, OrderHeaders headers, IDocumentStore store, TimeProvider clock,
    AfterPurchaseOrderChange? afterChange = null) : IOrderSaga
{
    public const string SagaKind = "purchase-order";
    public string Kind => SagaKind;

    Task IOrderSaga.ResumeAsync(string orderId, CancellationToken ct) => ResumeCreationAsync(orderId, ct);

    public async Task<(PurchaseOrder Order, bool Created)> ExecuteAsync(CreatePurchaseOrderCommand c, CancellationToken ct = default) =>
        (await RunAsync(await DraftAsync(c, ct), declineWhen: null, ct))!.Value;

    /// <summary>Validates the command (warehouse and products exist) and builds the order to create.</summary>
    internal async Task<PurchaseOrder> DraftAsync(CreatePurchaseOrderCommand c, CancellationToken ct)
    {
        var guard = new Guard().OptionalId("poId", c.PoId).Id("supplierId", c.SupplierId).Id("warehouseId", c.WarehouseId)
            .That(c.Lines is { Count: > 0 and <= Limits.MaxLinesPerRequest }, "lines", $"must hold 1 to {Limits.MaxLinesPerRequest} lines")
            .That(c.ExpectedDate != default, "expectedDate", "is required");
        for (var i = 0; i < (c.Lines?.Count ?? 0); i++)
            guard.Id($"lines[{i}].productId", c.Lines![i]?.ProductId).Quantity($"lines[{i}].quantity", c.Lines[i]?.Quantity ?? 0);
        guard.That(c.Lines is null || c.Lines.Select(l => l?.ProductId).Distinct().Count() == c.Lines.Count, "lines", "name each product once");
        guard.ThrowIfAny();

        if (!await new WarehouseDocuments(store).ExistsAsync(c.WarehouseId, ct))
            throw new WarehouseNotFoundException(c.WarehouseId);
        var products = new ProductPartitions(store);
        foreach (var line in c.Lines!)
            if (!await products.ExistsAsync(line.ProductId, ct))
                throw new ProductNotFoundException(line.ProductId);

        return new PurchaseOrder
        {
            PoId = c.PoId ?? "PO-" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(),
            SupplierId = c.SupplierId,
            WarehouseId = c.WarehouseId,
            Origin = c.Origin,
            ExpectedDate = c.ExpectedDate,
            Lines = c.Lines.Select(l => new PurchaseOrderLine(l.ProductId, l.Quantity)).ToArray(),
            CreatedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>
    /// Steps 1 to 5. <paramref name="declineWhen"/> (the reorder guard) may decline a product's claim on the supply it
    /// reads: then claims made are released and null is returned, nothing created.
    /// </summary>
    internal async Task<(PurchaseOrder Order, bool Created)?> RunAsync(PurchaseOrder order, Func<ProductSupply, bool>? declineWhen, CancellationToken ct)
    {
        if (await book.FindAsync(order.PoId, ct) is { } existing)
        {
            await FinishAsync(existing, order, CancellationToken.None); // a retry after a crash past the create
            return (existing, false);
        }
        await headers.EnlistAsync(SagaKind, order.PoId, new PurchaseOrderIntent(SagaKind, order.PoId, clock.GetUtcNow(), order), ct);
        ct = CancellationToken.None; // the intent is durable: from here the saga runs to its end

        var claimed = new List<string>();
        foreach (var line in order.Lines)
        {
            var saved = await supplies.UpdateAsync(line.ProductId,
                s => s.Holds(order.PoId) ? s : declineWhen?.Invoke(s) == true ? null : s.Claim(order), ct);
            if (saved is null)
            {
                foreach (var productId in claimed) await supplies.UpdateAsync(productId, s => s.Release(order.PoId), ct);
                await headers.DelistAsync(SagaKind, order.PoId, ct);
                return null;
            }
            claimed.Add(line.ProductId);
        }
        var (stored, created) = await book.CreateAsync(order, ct);
        await FinishAsync(stored, order, ct);
        return (stored, created);
    }

    /// <summary>
    /// Recovery: forward from the intent when every product is claimed, or the order is manual (nothing declines it);
    /// back (claims released) for a replenishment claim that was declined or never made.
    /// </summary>
    public async Task ResumeCreationAsync(string poId, CancellationToken ct = default)
    {
        var intent = await headers.OpenEntryAsync<PurchaseOrderIntent>(SagaKind, poId, ct);
        if (intent?.Order is not { } order) return;
        if (await book.FindAsync(poId, ct) is { } existing)
        {
            await FinishAsync(existing, order, ct);
            await RecoveredAsync(existing, ct);
            return;
        }
        if (order.Origin == PurchaseOrderOrigin.Replenishment)
        {
            var held = true;
            foreach (var line in order.Lines) held &= (await supplies.ReadAsync(line.ProductId, ct)).Holds(poId);
            if (!held)
            {
                foreach (var line in order.Lines) await supplies.UpdateAsync(line.ProductId, s => s.Release(poId), ct);
                await headers.DelistAsync(SagaKind, poId, ct);
                return;
            }
        }
        var result = await RunAsync(order, declineWhen: null, ct);
        if (result is { Order: var done }) await RecoveredAsync(done, ct);
    }

    private Task RecoveredAsync(PurchaseOrder order, CancellationToken ct) =>
        afterChange is null ? Task.CompletedTask : afterChange.RunAsync(new PurchaseOrderChanged(order, CreationRecovered: true), ct);

    /// <summary>Steps 4 and 5: the products track the stored order (claims of products it does not name are dropped), then delisted.</summary>
    private async Task FinishAsync(PurchaseOrder stored, PurchaseOrder intended, CancellationToken ct)
    {
        foreach (var productId in stored.Lines.Select(l => l.ProductId).Union(intended.Lines.Select(l => l.ProductId), StringComparer.Ordinal))
            await supplies.UpdateAsync(productId, s => s.Track(stored), ct);
        await headers.DelistAsync(SagaKind, stored.PoId, ct);
    }
}

public enum PurchaseOrderAction { Send, Confirm, Cancel }

/// <summary>Moves a purchase order through its state machine (send, confirm, cancel); invalid moves are typed errors.</summary>
public sealed class ChangePurchaseOrderStatus(PurchaseOrderBook book, TimeProvider clock, AfterPurchaseOrderChange? afterChange = null)
{
    public async Task<PurchaseOrder> ExecuteAsync(string poId, PurchaseOrderAction action, CancellationToken ct = default)
    {
        PurchaseOrder order;
        try
        {
            order = await book.UpdateAsync(poId, po => action switch
            {
                PurchaseOrderAction.Send => po.Send(clock.GetUtcNow()),
                PurchaseOrderAction.Confirm => po.Confirm(clock.GetUtcNow()),
                PurchaseOrderAction.Cancel => po.Cancel(clock.GetUtcNow()),
                _ => throw new ValidationException("action", "must be send, confirm or cancel"),
            }, ct);
        }
        catch (InvalidTransitionException)
        {
            // Already there: maybe a retry of a move whose answer was lost (a 503 after it landed). Still refused (the
            // move is not made twice), but what follows the move runs again first, since the attempt that made it may
            // have stopped before it: the products' incoming would count a cancelled order for good.
            if (afterChange is not null && await book.FindAsync(poId, ct) is { } now && now.Status == Target(action))
                await afterChange.RunAsync(new PurchaseOrderChanged(now), ct);
            throw;
        }
        if (afterChange is not null) await afterChange.RunAsync(new PurchaseOrderChanged(order), ct);
        return order;
    }

    private static PurchaseOrderStatus Target(PurchaseOrderAction action) => action switch
    {
        PurchaseOrderAction.Send => PurchaseOrderStatus.Sent,
        PurchaseOrderAction.Confirm => PurchaseOrderStatus.Confirmed,
        _ => PurchaseOrderStatus.Cancelled,
    };
}
