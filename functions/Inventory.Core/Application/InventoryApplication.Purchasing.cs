using Inventory.Application.Purchasing;

namespace Inventory.Application;

/// <summary>Purchase orders, receiving and put-away, wired over the same store.</summary>
public sealed partial class InventoryApplication
{
    public PurchaseOrderBook PurchaseOrders => field ??= new(Store, Concurrency);
    public LocationLoads LocationLoads => field ??= new(Store, Concurrency);
    public PutAwayPlans PutAwayPlans => field ??= new(Store, Clock);
    public Quarantine Quarantine => field ??= new(Store, Clock);
    public CreatePurchaseOrder CreatePurchaseOrder => field ??= new(PurchaseOrders, Supplies, Orders, Store, Clock, AfterPurchaseOrderChange);
    public ChangePurchaseOrderStatus ChangePurchaseOrderStatus => field ??= new(PurchaseOrders, Clock, AfterPurchaseOrderChange);
    public HandlePurchaseOrderEvent HandlePurchaseOrderEvent => field ??= new(PurchaseOrders, AfterPurchaseOrderChange);
    public ReceivePurchaseOrder ReceivePurchaseOrder => field ??= new(Committer, PurchaseOrders, Orders, Catalog, PutAwayPlans, AfterStockCommit, Clock, AfterPurchaseOrderChange)
    {
        OverReceiptTolerancePercent = OverReceiptTolerancePercent,
    };

    /// <summary>How far beyond the ordered quantity a purchase-order line may be received (percent). Set before first use.</summary>
    public decimal OverReceiptTolerancePercent { get; init; }
}
