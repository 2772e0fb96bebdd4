using Inventory.Application.Orders;
using Inventory.Application.Replenishment;

namespace Inventory.Application;

/// <summary>Replenishment: the reorder trigger after stock drops, and the nightly scan.</summary>
public sealed partial class InventoryApplication
{
    public ReplenishmentOptions ReplenishmentOptions { get; init; } = new();

    /// <summary>Where raised purchase orders are sent; the store's outbox unless a host sets a Service Bus publisher.</summary>
    public IPurchaseOrderPublisher Publisher { get => field ??= Outbox; init; }

    public OutboxPublisher Outbox => field ??= new(Store);
    public ProductSupplies Supplies => field ??= new(Store, Concurrency);
    public PurchaseOrderSending Sending => field ??= new(PurchaseOrders, Supplies, Publisher, Clock);
    public ReorderProduct Reorder => field ??= new(Store, Supplies, PurchaseOrders, CreatePurchaseOrder, Sending, ReplenishmentOptions, Clock);
    public DailyReplenishmentScan ReplenishmentScan => field ??= new(Store, CatalogIndex, Reorder, ReplenishmentOptions, Clock);
    public ReplenishmentQueries ReplenishmentQueries => field ??= new(Store, ReplenishmentOptions, Clock);
}
