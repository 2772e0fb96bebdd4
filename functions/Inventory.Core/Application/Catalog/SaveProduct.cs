using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

public sealed record SaveResult<T>(T Value, bool Created);

/// <summary>
/// Creates or replaces a product. SKU uniqueness is enforced by the store: a claim document keyed by the SKU is created
/// (must not exist) before the product takes the SKU. A claim left by a crash, or by a product that moved to another
/// SKU, is recognised as stale because its product no longer carries that SKU, and is taken over under its ETag.
/// The product's catalogue index row is written as the intent before the product document and confirmed after it, so a
/// crash never hides a product from the lists and the scan (<see cref="CatalogIndex"/>).
/// </summary>
public sealed class SaveProduct(IDocumentStore store, ConcurrencyOptions options, CatalogIndex index)
{
    private readonly OptimisticConcurrency concurrency = new(options);

    public async Task<SaveResult<Product>> ExecuteAsync(Product product, CancellationToken ct = default)
    {
        Validate(product);
        var (current, saga) = await concurrency.RunAsync(product.ProductId, async _ =>
        {
            var docs = await store.ReadAsync(Collection.Products, product.ProductId, [DocumentIds.Product], [], ct);
            var current = docs.Count == 0 ? null : DocumentJson.Read<Product>(docs[0].Body);
            if (current?.Sku != product.Sku) await ClaimSkuAsync(product, ct);
            IReadOnlyList<DocumentWrite> writes = current is null
                ? [new DocumentWrite.Create(DocumentIds.Product, DocumentJson.Write(product)),
                   new DocumentWrite.Create(DocumentIds.Head, DocumentJson.Write(new StockHead(product.ProductId, 0)))]
                : [new DocumentWrite.Replace(DocumentIds.Product, DocumentJson.Write(product), docs[0].ETag)];
            var saga = await index.IntendAsync(product, ct);
            await store.CommitAsync(Collection.Products, product.ProductId, writes, ct);
            return (current, saga);
        }, ct);
        await index.ConfirmAsync(product, saga, ct);
        if (current is not null && current.Sku != product.Sku) await DropClaimAsync(current, ct);
        return new SaveResult<Product>(product, current is null);
    }

    private async Task ClaimSkuAsync(Product product, CancellationToken ct)
    {
        var claim = DocumentJson.Write(new SkuClaim(product.Sku, product.ProductId));
        if (await OptimisticConcurrency.CreateOnceAsync(store, Collection.Skus, product.Sku, [new DocumentWrite.Create(DocumentIds.SkuClaim, claim)], ct))
            return;

        var existing = (await store.ReadAsync(Collection.Skus, product.Sku, [DocumentIds.SkuClaim], [], ct)).Single();
        var owner = DocumentJson.Read<SkuClaim>(existing.Body).ProductId;
        if (owner == product.ProductId) return;
        var ownerDocs = await store.ReadAsync(Collection.Products, owner, [DocumentIds.Product], [], ct);
        if (ownerDocs.Count > 0 && DocumentJson.Read<Product>(ownerDocs[0].Body).Sku == product.Sku)
            throw new DuplicateSkuException(product.Sku, owner);
        // Stale claim: take it over only if nobody else did meanwhile.
        await store.CommitAsync(Collection.Skus, product.Sku, [new DocumentWrite.Replace(DocumentIds.SkuClaim, claim, existing.ETag)], ct);
    }

    private async Task DropClaimAsync(Product previous, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Skus, previous.Sku, [DocumentIds.SkuClaim], [], ct);
        if (docs.Count == 0 || DocumentJson.Read<SkuClaim>(docs[0].Body).ProductId != previous.ProductId) return;
        // Lost when someone took it over meanwhile: it is theirs now.
        await OptimisticConcurrency.TryCommitAsync(store, Collection.Skus, previous.Sku, [new DocumentWrite.Delete(DocumentIds.SkuClaim, docs[0].ETag)], ct);
    }

    public static void Validate(Product p)
    {
        new Guard().Id("productId", p.ProductId)
            .Text("sku", p.Sku, Limits.MaxSkuLength)
            .Text("name", p.Name, Limits.MaxNameLength)
            .OptionalId("categoryId", p.CategoryId)
            .OptionalId("preferredSupplierId", p.PreferredSupplierId)
            .NonNegative("unitCost", p.UnitCost, 1_000_000_000m)
            .NonNegative("unitWeightGrams", p.UnitWeightGrams, 10_000_000)
            .That(p.Dimensions is not null, "dimensions", "is required")
            .NonNegative("dimensions.lengthMm", p.Dimensions?.LengthMm ?? 0, 100_000)
            .NonNegative("dimensions.widthMm", p.Dimensions?.WidthMm ?? 0, 100_000)
            .NonNegative("dimensions.heightMm", p.Dimensions?.HeightMm ?? 0, 100_000)
            .Quantity("reorderPoint", p.ReorderPoint, allowZero: true)
            .Quantity("reorderQuantity", p.ReorderQuantity, allowZero: true)
            .NonNegative("leadTimeDays", p.LeadTimeDays, 3650)
            .That(!p.AutoReplenish || p.PreferredSupplierId is not null, "preferredSupplierId", "is required when autoReplenish is on")
            .That(!p.AutoReplenish || p.ReorderQuantity > 0, "reorderQuantity", "must be positive when autoReplenish is on")
            .ThrowIfAny();
    }
}
