using Inventory.Domain;

namespace Inventory.Application;

/// <summary>What replenishment and the stock view read of a product: product, balances, supply and demand, never its ledger.</summary>
internal sealed record ProductSnapshot(Product Product, IReadOnlyList<StockBalance> Balances, ProductSupply Supply, DemandHistory Demand)
{
    public long Available => Balances.Sum(b => b.QuantityAvailable);

    /// <summary>The warehouse holding most of the product: where its purchase orders are delivered.</summary>
    public string? LargestWarehouse => Balances.GroupBy(b => b.WarehouseId).OrderByDescending(g => g.Sum(b => b.QuantityOnHand))
        .ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();
}
