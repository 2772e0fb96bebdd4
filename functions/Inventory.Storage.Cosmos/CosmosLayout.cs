using System.Collections.ObjectModel;
using Microsoft.Azure.Cosmos;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// One container: the collection it holds, its partition key path, the document type assumed when an id says nothing
/// more, and the paths its queries need indexed (everything else is excluded: writes then pay only for what is read).
/// </summary>
public sealed record ContainerLayout(Collection Collection, string Name, string PartitionKeyPath, string DefaultDocType,
    IReadOnlyList<string> IndexedPaths)
{
    /// <summary>The top-level property every item carries with its partition's value.</summary>
    public string PartitionKeyProperty => PartitionKeyPath[1..];

    /// <summary>
    /// Consistent indexing of the partition key (cross-partition listings order by it) and <see cref="IndexedPaths"/>;
    /// id and _ts are always indexed by the service. Nothing expires: old ledger entries move to the archive instead.
    /// </summary>
    public ContainerProperties Properties()
    {
        var properties = new ContainerProperties(Name, PartitionKeyPath)
        {
            IndexingPolicy = new IndexingPolicy { IndexingMode = IndexingMode.Consistent, Automatic = true },
        };
        foreach (var path in IncludedPaths) properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = path });
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }

    public IReadOnlyList<string> IncludedPaths => [PartitionKeyPath + "/?", .. IndexedPaths];
}

/// <summary>
/// The source of truth for the Cosmos layout: one container per <see cref="Collection"/>. A new collection is one line
/// here (infra/ must create the same container). Items are the document's JSON plus <c>id</c>, the partition key
/// property and <c>docType</c>.
/// </summary>
public static class CosmosLayout
{
    public static IReadOnlyList<ContainerLayout> Containers { get; } =
    [
        // The product's partition: product, head, balances, reservations, operation records, ledger. Ledger entries are
        // read by createdAt (reports) and by id (newest first); balances by location.
        new(Collection.Products, "products", "/productId", "stock", ["/docType/?", "/createdAt/?", "/locationId/?"]),
        new(Collection.Orders, "orders", "/orderId", "order", []),
        new(Collection.Warehouses, "warehouses", "/warehouseId", "warehouse", []),
        new(Collection.Locations, "locations", "/locationId", "locationIndex", []),
        new(Collection.Skus, "skus", "/sku", "skuClaim", []),
        new(Collection.Holds, "holds", "/day", "hold", []),
        new(Collection.PurchaseOrders, "purchaseOrders", "/poId", "purchaseOrder", []),
        new(Collection.Quarantine, "quarantine", "/queue", "quarantinedMessage", []),
        new(Collection.Runs, "runs", "/job", "run", []),
        // The catalogue index: one row per product in 16 buckets (a hash of the product id), read bucket by bucket.
        new(Collection.Catalog, "catalog", "/bucket", "catalogEntry", []),
    ];

    private static readonly ReadOnlyDictionary<Collection, ContainerLayout> ByCollection = Containers.ToDictionary(c => c.Collection).AsReadOnly();

    public static ContainerLayout For(Collection collection) =>
        ByCollection.TryGetValue(collection, out var layout) ? layout
        : throw new InvalidOperationException($"Collection {collection} has no Cosmos container: add it to {nameof(CosmosLayout)}.{nameof(Containers)}.");
}
