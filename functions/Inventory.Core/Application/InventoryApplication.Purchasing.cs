using Inventory.Application.Purchasing;

namespace Inventory.Application;

/// <summary>Purchase orders, receiving and put-away, wired over the same store.</summary>
public sealed partial class InventoryApplication
{
    public PurchaseOrderBook PurchaseOrders => field ??= new(Store, Concurrency);
    public LocationLoads LocationLoads => field ??= new(Store, Concurrency);
    public PutAwayPlans PutAwayPlans => field ??= new(Store, Clock);
    public Quarantine Quarantine => field ??= new(Store, Clock);
    public CreatePurchaseOrder CreatePurchaseOrder => field ??= new(PurchaseOrders, Store, Clock);
    public ChangePurchaseOrderStatus ChangePurchaseOrderStatus => field ??= new(PurchaseOrders, Clock, OnPurchaseOrderClosedAsync);
    public HandlePurchaseOrderEvent HandlePurchaseOrderEvent => field ??= new(PurchaseOrders, OnPurchaseOrderClosedAsync);
    public ReceivePurchaseOrder ReceivePurchaseOrder => field ??= new(Committer, PurchaseOrders, Catalog, PutAwayPlans, LocationLoads, Clock, OnPurchaseOrderClosedAsync)
    {
        OverReceiptTolerancePercent = OverReceiptTolerancePercent,
    };

    /// <summary>How far beyond the ordered quantity a purchase-order line may be received (percent). Set before first use.</summary>
    public decimal OverReceiptTolerancePercent { get; init; }

    /// <summary>Runs when a purchase order is received in full or cancelled (replenishment clears its open-order guard here).</summary>
    private Task OnPurchaseOrderClosedAsync(Domain.PurchaseOrder order, CancellationToken ct) => Task.CompletedTask;
}
