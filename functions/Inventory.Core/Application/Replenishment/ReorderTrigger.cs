using Inventory.Application.Stock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inventory.Application.Replenishment;

/// <summary>
/// The reorder trigger, a stock-change handler: a product that replenishes itself and whose availability a change left
/// below its reorder point is looked at by <see cref="ReorderProduct.AfterDropAsync"/>; any other costs nothing.
/// A reorder that fails (the publisher or the store down) is logged, not thrown: it runs inside the stock operation
/// that dropped the product, whose outcome stands (a fulfilment must not stop half-shipped on it), and what it left is
/// durable: the claim and the DRAFT order are sent by the next trigger or the nightly scan, a creation left half-way
/// is finished by RecoverOrders.
/// </summary>
public sealed class ReorderTrigger(ReorderProduct reorder, ILogger<ReorderTrigger>? logger = null) : IStockChangeHandler
{
    private readonly ILogger log = logger ?? NullLogger<ReorderTrigger>.Instance;

    public async Task HandleAsync(StockChanged change, CancellationToken ct)
    {
        foreach (var level in change.Drops)
            if (level.Product.AutoReplenish && level.Available < level.Product.ReorderPoint)
            {
                try { await reorder.AfterDropAsync(level.Product.ProductId, ct); }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    log.LogWarning(e, "Reorder of {ProductId} after a drop failed; its order is sent by the next trigger or the nightly scan", level.Product.ProductId);
                }
            }
    }
}
