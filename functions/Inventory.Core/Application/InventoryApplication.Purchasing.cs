using Inventory.Application.Purchasing;

namespace Inventory.Application;

/// <summary>Purchase orders, receiving and put-away, wired over the same store.</summary>
public sealed partial class InventoryApplication
{
    public PurchaseOrderBook PurchaseOrders => field ??= new(Store, Concurrency);
    public LocationLoads LocationLoads => field ??= new(Store, Concurrency);
    public PutAwayPlans PutAwayPlans => field ??= new(Store, Clock);
    public Quarantine Quarantine => field ??= new(Store, Clock);
    public CreatePurchaseOrder CreatePurchaseOrder => field ??= new(PurchaseOrders, Supplies, Orders, Store, Clock)
    {
        // A replenishment order finished by recovery is sent as the reorder would have.
        AfterRecovered = (po, ct) => po is { Origin: Domain.PurchaseOrderOrigin.Replenishment, Status: Domain.PurchaseOrderStatus.Draft }
            ? Reorder.SendAsync(po.PoId, ct) : Task.CompletedTask,
    };
    public ChangePurchaseOrderStatus ChangePurchaseOrderStatus => field ??= new(PurchaseOrders, Clock, OnPurchaseOrderChangedAsync);
    public HandlePurchaseOrderEvent HandlePurchaseOrderEvent => field ??= new(PurchaseOrders, OnPurchaseOrderChangedAsync);
    public ReceivePurchaseOrder ReceivePurchaseOrder => field ??= new(Committer, PurchaseOrders, Orders, Catalog, PutAwayPlans, LocationLoads, Clock, OnPurchaseOrderChangedAsync)
    {
        OverReceiptTolerancePercent = OverReceiptTolerancePercent,
    };

    /// <summary>How far beyond the ordered quantity a purchase-order line may be received (percent). Set before first use.</summary>
    public decimal OverReceiptTolerancePercent { get; init; }

    /// <summary>Every committed on-hand change (and every replay, which catches up after a crash) moves the weight and volume put-away sees.</summary>
    private Task OnStockMovedAsync(Stock.StockMoved moved, CancellationToken ct) => LocationLoads.FollowAsync(moved, ct);

    /// <summary>Every purchase-order change updates what its products have incoming (and frees the open-order guard when it closes).</summary>
    private Task OnPurchaseOrderChangedAsync(Domain.PurchaseOrder order, CancellationToken ct) => Supplies.TrackAsync(order, ct);
}
