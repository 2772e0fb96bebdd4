using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

/// <summary>One page of a backfill: product partitions looked at, index rows written, and where the next page starts (null: done).</summary>
public sealed record CatalogBackfillPage(int Products, int RowsWritten, string? ContinuationToken);

/// <summary>
/// Builds the catalogue index for products saved before it existed, and mends rows that differ from their product.
/// It walks every product partition with the store's cross-partition listing (on Table Storage a scan of the whole
/// Products table): an operator's one-off after upgrading, page by page so that no call runs long, never on a timer.
/// Idempotent: running it again writes nothing for products whose row already describes them.
/// </summary>
public sealed class CatalogBackfill(IDocumentStore store, CatalogIndex index)
{
    public const int DefaultPageSize = 200, MaxPageSize = 1000;

    public async Task<CatalogBackfillPage> RunPageAsync(int pageSize = DefaultPageSize, string? token = null, CancellationToken ct = default)
    {
        new Guard().That(pageSize is > 0 and <= MaxPageSize, "pageSize", $"must be between 1 and {MaxPageSize}").ThrowIfAny();
        IReadOnlyList<string> products;
        string? next;
        try { (products, next) = await new ProductPartitions(store).ProductIdsPageAsync(pageSize, token, ct); }
        catch (InvalidContinuationTokenException) { throw new ValidationException("continuationToken", "is not a token this service issued"); }
        var written = 0;
        await Parallel.ForEachAsync(products, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (productId, c) =>
        {
            if (await index.EnsureAsync(productId, c)) Interlocked.Increment(ref written);
        });
        return new CatalogBackfillPage(products.Count, written, next);
    }
}
