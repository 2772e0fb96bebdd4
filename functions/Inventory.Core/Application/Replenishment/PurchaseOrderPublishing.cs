using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Replenishment;

/// <summary>Sends a purchase order the service raised to suppliers (the queue purchase-orders). Must be safe to repeat for one poId.</summary>
public interface IPurchaseOrderPublisher
{
    Task PublishAsync(PurchaseOrder order, CancellationToken ct = default);
}
