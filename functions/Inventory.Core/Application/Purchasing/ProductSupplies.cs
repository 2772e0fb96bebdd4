using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>
/// The supply document of each product partition (kept by <see cref="ProductPartitions"/>), changed by ETag-conditioned read-modify-write. As a purchase-order
/// handler it keeps the products of every changed order tracking it (a creation finished by recovery tracked them itself).
/// </summary>
public sealed class ProductSupplies(IDocumentStore store, ConcurrencyOptions options) : IPurchaseOrderChangeHandler
{
    private readonly OptimisticConcurrency concurrency = new(options);
    private readonly ProductPartitions products = new(store);

    public async Task<ProductSupply> ReadAsync(string productId, CancellationToken ct = default) =>
        (await ReadWithETagAsync(productId, ct)).Supply;

    /// <summary>
    /// Applies <paramref name="change"/> under the ETag read; returns the saved supply, or null when the change declined
    /// (returned null) on the state it saw — which is how a lost reorder race ends.
    /// </summary>
    public Task<ProductSupply?> UpdateAsync(string productId, Func<ProductSupply, ProductSupply?> change, CancellationToken ct = default) =>
        concurrency.RunAsync(productId, async _ =>
        {
            var (supply, etag) = await ReadWithETagAsync(productId, ct);
            var changed = change(supply);
            if (changed is null) return null;
            if (changed == supply && etag is not null) return supply;
            await products.SaveSupplyAsync(productId, changed, etag, ct);
            return (ProductSupply?)changed;
        }, ct);

    /// <summary>Keeps every product's supply in step with a purchase order that was created or changed.</summary>
    public async Task TrackAsync(PurchaseOrder order, CancellationToken ct = default)
    {
        foreach (var line in order.Lines)
            await UpdateAsync(line.ProductId, s => s.Track(order), ct);
    }

    Task Purchasing.IPurchaseOrderChangeHandler.HandleAsync(Purchasing.PurchaseOrderChanged change, CancellationToken ct) =>
        change.CreationRecovered ? Task.CompletedTask : TrackAsync(change.Order, ct);

    private Task<(ProductSupply Supply, string? ETag)> ReadWithETagAsync(string productId, CancellationToken ct) =>
        products.SupplyAsync(productId, ct);
}
