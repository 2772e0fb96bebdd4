using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

public sealed record SaveResult<T>(T Value, bool Created);

/// <summary>
/// The saga of a save's copies into the product's escrow buckets (<c>Escrow.BucketCopies</c>): begun, durably, before
/// the product is written; ended once every copy is made.
/// </summary>
public interface IBucketCopies
{
    /// <summary>Before the product is written, when its read saw buckets.</summary>
    Task BeginAsync(string productId, string save, CancellationToken ct);

    /// <summary>After: copies the product into its buckets and ends the saga (<paramref name="enlisted"/>: begun before).</summary>
    Task CopyAsync(string productId, string save, bool enlisted, CancellationToken ct);
}

/// <summary>
/// Creates or replaces a product. SKU uniqueness is enforced by the store: a claim document keyed by the SKU is created
/// (must not exist) before the product takes the SKU. A claim left by a crash, or by a product that moved to another
/// SKU, is stale: its product does not carry that SKU and it was taken more than <see cref="SkuClaims.StaleAfter"/>
/// ago (a younger one may be a save's whose product is not written yet); it is taken over under its ETag.
/// The product's catalogue index row is written as the intent before the product document and confirmed after it, so a
/// crash never hides a product from the lists and the scan (<see cref="CatalogIndex"/>). A product in escrow is then copied
/// into its buckets (<see cref="ProductPartitions.CopyToBucketsAsync"/>): other partitions, so a saga begun before the
/// save and ended after the copies (<see cref="IBucketCopies"/>), which recovery finishes when a crash or a failed copy
/// left them undone and no one saved again.
/// </summary>
public sealed class SaveProduct(IDocumentStore store, ConcurrencyOptions options, CatalogIndex index, IBucketCopies copies, TimeProvider clock)
{
    private readonly OptimisticConcurrency concurrency = new(options);
    private readonly ProductPartitions products = new(store);
    private readonly SkuClaims skus = new(store);

    public async Task<SaveResult<Product>> ExecuteAsync(Product product, CancellationToken ct = default)
    {
        Validate(product);
        var save = Guid.NewGuid().ToString("N");
        var (current, given, saga, inEscrow) = await concurrency.RunAsync(product.ProductId, async _ =>
        {
            var (stored, inEscrow) = await products.ProductForSaveAsync(product.ProductId, ct);
            var current = stored.Product;
            if (current?.Sku != product.Sku) await ClaimSkuAsync(product, ct);
            // The claim of the SKU given up, as it is before the product leaves it: dropped later only if still so.
            var given = current is not null && current.Sku != product.Sku ? await skus.FindWithETagAsync(current.Sku, ct) : default;
            var saga = await index.IntendAsync(product, ct);
            if (inEscrow) await copies.BeginAsync(product.ProductId, save, ct);
            await products.SaveProductAsync(product, stored, ct);
            return (current, given, saga, inEscrow);
        }, ct);
        await index.ConfirmAsync(product, saga, ct);
        await copies.CopyAsync(product.ProductId, save, inEscrow, ct);
        if (current is not null && given.Claim?.ProductId == current.ProductId) await skus.TryDeleteAsync(current.Sku, given.ETag!, ct);
        return new SaveResult<Product>(product, current is null);
    }

    /// <summary>
    /// Takes the SKU's claim, before the product is written. Another product's claim is refused while that product carries
    /// the SKU or the claim is young: its save may not have written the product yet. The product's own claim is taken
    /// again (a new ETag), so a save of this product that gave the SKU up before this one read the product (a rename
    /// back) cannot drop it: that save deletes only under the ETag it read before its write, which was before this.
    /// </summary>
    private async Task ClaimSkuAsync(Product product, CancellationToken ct)
    {
        var claim = new SkuClaim(product.Sku, product.ProductId, clock.GetUtcNow());
        if (await skus.CreateAsync(claim, ct)) return;

        var (existing, etag) = await skus.FindWithETagAsync(product.Sku, ct);
        // Dropped between the create and this read: the attempt starts again (and creates it).
        if (existing is null) throw new CommitConflictException(ConflictKind.NotFound, SkuClaims.DocumentId);
        if (existing.ProductId != product.ProductId
            && (!SkuClaims.IsOld(existing, clock.GetUtcNow()) || (await products.ProductAsync(existing.ProductId, ct))?.Sku == product.Sku))
            throw new DuplicateSkuException(product.Sku, existing.ProductId);
        // Stale, or ours: taken only as read (a conflict starts the attempt again).
        await skus.ReplaceAsync(claim, etag!, ct);
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
