using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

public sealed record CreatePurchaseOrderCommand(string? PoId, string SupplierId, string WarehouseId, DateOnly ExpectedDate,
    IReadOnlyList<OrderLine> Lines, PurchaseOrderOrigin Origin = PurchaseOrderOrigin.Manual);

/// <summary>Creates a DRAFT purchase order. Without a poId one is generated; with one, a repeat returns the existing order.</summary>
public sealed class CreatePurchaseOrder(PurchaseOrderBook book, IDocumentStore store, TimeProvider clock, Func<PurchaseOrder, CancellationToken, Task>? onChanged = null)
{
    public async Task<(PurchaseOrder Order, bool Created)> ExecuteAsync(CreatePurchaseOrderCommand c, CancellationToken ct = default)
    {
        var guard = new Guard().OptionalId("poId", c.PoId).Id("supplierId", c.SupplierId).Id("warehouseId", c.WarehouseId)
            .That(c.Lines is { Count: > 0 and <= Limits.MaxLinesPerRequest }, "lines", $"must hold 1 to {Limits.MaxLinesPerRequest} lines")
            .That(c.ExpectedDate != default, "expectedDate", "is required");
        for (var i = 0; i < (c.Lines?.Count ?? 0); i++)
            guard.Id($"lines[{i}].productId", c.Lines![i]?.ProductId).Quantity($"lines[{i}].quantity", c.Lines[i]?.Quantity ?? 0);
        guard.That(c.Lines is null || c.Lines.Select(l => l?.ProductId).Distinct().Count() == c.Lines.Count, "lines", "name each product once");
        guard.ThrowIfAny();

        if ((await store.ReadAsync(Collection.Warehouses, c.WarehouseId, [DocumentIds.Warehouse], [], ct)).Count == 0)
            throw new WarehouseNotFoundException(c.WarehouseId);
        foreach (var line in c.Lines!)
            if ((await store.ReadAsync(Collection.Products, line.ProductId, [DocumentIds.Product], [], ct)).Count == 0)
                throw new ProductNotFoundException(line.ProductId);

        var order = new PurchaseOrder
        {
            PoId = c.PoId ?? "PO-" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(),
            SupplierId = c.SupplierId,
            WarehouseId = c.WarehouseId,
            Origin = c.Origin,
            ExpectedDate = c.ExpectedDate,
            Lines = c.Lines.Select(l => new PurchaseOrderLine(l.ProductId, l.Quantity)).ToArray(),
            CreatedAt = clock.GetUtcNow(),
        };
        var result = await book.CreateAsync(order, ct);
        if (onChanged is not null) await onChanged(result.Order, ct);
        return result;
    }
}

public enum PurchaseOrderAction { Send, Confirm, Cancel }

/// <summary>Moves a purchase order through its state machine (send, confirm, cancel); invalid moves are typed errors.</summary>
public sealed class ChangePurchaseOrderStatus(PurchaseOrderBook book, TimeProvider clock, Func<PurchaseOrder, CancellationToken, Task>? onChanged = null)
{
    public async Task<PurchaseOrder> ExecuteAsync(string poId, PurchaseOrderAction action, CancellationToken ct = default)
    {
        var order = await book.UpdateAsync(poId, po => action switch
        {
            PurchaseOrderAction.Send => po.Send(clock.GetUtcNow()),
            PurchaseOrderAction.Confirm => po.Confirm(clock.GetUtcNow()),
            PurchaseOrderAction.Cancel => po.Cancel(clock.GetUtcNow()),
            _ => throw new ValidationException("action", "must be send, confirm or cancel"),
        }, ct);
        if (onChanged is not null) await onChanged(order, ct);
        return order;
    }
}
