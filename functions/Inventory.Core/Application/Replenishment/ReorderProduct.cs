using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Replenishment;

public enum ReorderResult { Created, NotNeeded, OpenOrderExists, Failed }

public sealed record ReorderOutcome(string ProductId, ReorderResult Result, ReplenishmentPosition? Position, string? PoId, string Reason);

public sealed record ReplenishmentOptions
{
    /// <summary>Trailing window of shipments for average daily demand.</summary>
    public int DemandWindowDays { get; init; } = 28;
    /// <summary>Where purchase orders go for a product with no stock anywhere yet.</summary>
    public string? DefaultWarehouseId { get; init; }
    public int ScanPageSize { get; init; } = 100;
    public int ScanParallelism { get; init; } = 8;
}

/// <summary>
/// Raises one purchase order for a product when its rule says so. At most one order is open per product, even when
/// drops race on several instances or with a manual order: the order is created by the <see cref="CreatePurchaseOrder"/>
/// saga, whose claim in the product's supply document (ETag-conditioned) declines when any order is open or claimed;
/// then it is published (MessageId = poId) and marked SENT. A claim whose order was not finished (a crash) is completed
/// by recovery or by the next trigger or scan: every step is idempotent by poId.
/// </summary>
public sealed class ReorderProduct(
    IDocumentStore store, ProductSupplies supplies, PurchaseOrderBook book, CreatePurchaseOrder create,
    PurchaseOrderSending sending, ReplenishmentOptions options, TimeProvider clock)
{
    private readonly ProductPartitions products = new(store);
    private readonly WarehouseDocuments warehouses = new(store);

    /// <summary>The trigger after a SHIP or a downward ADJUST.</summary>
    public async Task<ReorderOutcome> AfterDropAsync(string productId, CancellationToken ct = default)
    {
        var snapshot = await products.SnapshotAsync(productId, ct);
        if (snapshot is null) return new(productId, ReorderResult.Failed, null, null, "product not found");
        return await ApplyAsync(snapshot, ReplenishmentRule.AfterDrop(snapshot.Product, snapshot.Available, snapshot.Supply), ct);
    }

    internal async Task<ReorderOutcome> ApplyAsync(ProductSnapshot snapshot, ReplenishmentPosition position, CancellationToken ct)
    {
        var product = snapshot.Product;
        // An order claimed earlier is finished whatever the rule says now; the product counts as short only if it is.
        if (await FinishPendingAsync(snapshot.Supply, ct) is { } pending)
            return new(product.ProductId, position.Reorder || position.HeldByOpenOrder ? ReorderResult.OpenOrderExists : ReorderResult.NotNeeded,
                position, pending, "completed an order claimed earlier");
        // Skipped for an open order only when that order is what holds the reorder back: a product above its threshold
        // on its available stock alone (or not replenishing itself) is not needed, and the scan must not count it short.
        if (!position.Reorder)
            return new(product.ProductId, position.HeldByOpenOrder ? ReorderResult.OpenOrderExists : ReorderResult.NotNeeded, position, null, position.Reason);

        var warehouseId = snapshot.LargestWarehouse ?? options.DefaultWarehouseId;
        if (warehouseId is null)
            return new(product.ProductId, ReorderResult.Failed, position, null, "no stock in any warehouse and no Replenishment:DefaultWarehouseId");
        var warehouse = await warehouses.WarehouseAsync(warehouseId, ct);
        if (warehouse is null) return new(product.ProductId, ReorderResult.Failed, position, null, $"warehouse '{warehouseId}' not found");
        var timezone = warehouse.Timezone;

        var poId = "RP-" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var expected = ReplenishmentRule.ExpectedDate(clock.GetUtcNow(), timezone, product.LeadTimeDays);
        var draft = await create.DraftAsync(new CreatePurchaseOrderCommand(poId, product.PreferredSupplierId!, warehouseId, expected,
            [new OrderLine(product.ProductId, position.Quantity)], PurchaseOrderOrigin.Replenishment), ct);
        // The claim in supply declines when any order is open, manual ones included: they claim before they exist too.
        if (await create.RunAsync(draft, s => s.HasOpenOrder, ct) is null)
            return new(product.ProductId, ReorderResult.OpenOrderExists, position, null, "another order claimed the product first");
        await sending.SendAsync(poId, ct);
        return new(product.ProductId, ReorderResult.Created, position, poId, position.Reason);
    }

    /// <summary>Finishes a claimed order left in DRAFT (or never created) by a crash. Returns its poId, or null when there is none.</summary>
    private async Task<string?> FinishPendingAsync(ProductSupply supply, CancellationToken ct)
    {
        var pending = supply.Open.FirstOrDefault(o => o is { Origin: PurchaseOrderOrigin.Replenishment, Status: PurchaseOrderStatus.Draft });
        if (pending is null) return null;
        var order = await book.FindAsync(pending.PoId, ct);
        if (order is null)
        {
            // The claim was saved but the order was not: forward from its intent, which names the order as it was drafted
            // (its warehouse, its expected date in the warehouse's time zone); recovery's own path, sending it too.
            await create.ResumeCreationAsync(pending.PoId, ct);
            order = await book.FindAsync(pending.PoId, ct);
        }
        if (order is null)
        {
            // No intent either (it was delisted): recreate it from the claim, dated as every reorder is, from today in the
            // receiving warehouse's time zone.
            var snapshot = await products.SnapshotAsync(supply.ProductId, ct);
            var warehouseId = snapshot?.LargestWarehouse ?? options.DefaultWarehouseId;
            if (snapshot is null || warehouseId is null) return null;
            var warehouse = await warehouses.WarehouseAsync(warehouseId, ct) ?? throw new WarehouseNotFoundException(warehouseId); // as the creation refuses it
            await create.ExecuteAsync(new CreatePurchaseOrderCommand(pending.PoId, pending.SupplierId, warehouseId,
                ReplenishmentRule.ExpectedDate(clock.GetUtcNow(), warehouse.Timezone, snapshot.Product.LeadTimeDays),
                [new OrderLine(supply.ProductId, pending.Outstanding)], PurchaseOrderOrigin.Replenishment), ct);
        }
        else if (order.Status != PurchaseOrderStatus.Draft)
        {
            await supplies.TrackAsync(order, ct);
            return pending.PoId;
        }
        await sending.SendAsync(pending.PoId, ct);
        return pending.PoId;
    }
}
