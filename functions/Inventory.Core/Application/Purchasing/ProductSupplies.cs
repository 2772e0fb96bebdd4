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
    private readonly PurchaseOrderBook book = new(store, options);

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

    /// <summary>
    /// Keeps every product's supply in step with a purchase order that was created or changed: with the order as stored
    /// when the supply is written, read again at each attempt, not the copy given. A writer holding an older copy (a
    /// receipt's PARTIAL) that lands after a newer one's update (a cancel's) put the order back as it was: a cancelled
    /// order counted as incoming for good. Every change of an order is followed by its own tracking, which reads after it.
    /// </summary>
    public async Task TrackAsync(PurchaseOrder order, CancellationToken ct = default)
    {
        foreach (var line in order.Lines)
            await concurrency.RunAsync(line.ProductId, async _ =>
            {
                var (supply, etag) = await ReadWithETagAsync(line.ProductId, ct);
                var current = await book.FindAsync(order.PoId, ct) ?? order; // not stored yet: a creation claims before it exists
                var changed = supply.Track(current);
                if (changed == supply && etag is not null) return 0;
                await products.SaveSupplyAsync(line.ProductId, changed, etag, ct);
                return 0;
            }, ct);
    }

    Task Purchasing.IPurchaseOrderChangeHandler.HandleAsync(Purchasing.PurchaseOrderChanged change, CancellationToken ct) =>
        change.CreationRecovered ? Task.CompletedTask : TrackAsync(change.Order, ct);

    private Task<(ProductSupply Supply, string? ETag)> ReadWithETagAsync(string productId, CancellationToken ct) =>
        products.SupplyAsync(productId, ct);
}
