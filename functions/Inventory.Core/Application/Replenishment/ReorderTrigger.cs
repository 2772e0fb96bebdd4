using Inventory.Application.Stock;

namespace Inventory.Application.Replenishment;

/// <summary>
/// The reorder trigger, a stock-change handler: a product that replenishes itself and whose availability a change left
/// below its reorder point is looked at by <see cref="ReorderProduct.AfterDropAsync"/>; any other costs nothing.
/// </summary>
public sealed class ReorderTrigger(ReorderProduct reorder) : IStockChangeHandler
{
    public async Task HandleAsync(StockChanged change, CancellationToken ct)
    {
        foreach (var level in change.Drops)
            if (level.Product.AutoReplenish && level.Available < level.Product.ReorderPoint)
                await reorder.AfterDropAsync(level.Product.ProductId, ct);
    }
}
