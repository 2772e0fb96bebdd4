using Inventory.Application.Catalog;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Lists;

/// <summary>A page of an operator list. A page may hold fewer items than asked (even none) while a token remains.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>
/// Paging of the operator lists: documents of one id across partitions (or of one prefix in a partition), kept when a
/// filter accepts them, until the page is full. Each store call asks only for what the page still lacks, so a page never
/// exceeds its size and the store's token resumes exactly after it; at most <see cref="MaxStoreCalls"/> calls per page
/// bound the work of a rarely matching filter.
/// </summary>
internal static class ListScan
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const int MaxStoreCalls = 10;

    public static void CheckPageSize(Guard guard, int pageSize) =>
        guard.That(pageSize is > 0 and <= MaxPageSize, "pageSize", $"must be between 1 and {MaxPageSize}");

    /// <summary>The pages of one of a persistence module's paged reads (documents of one id across partitions, or of one prefix in a partition).</summary>
    public static Task<ListPage<T>> PagesAsync<TDocument, T>(Func<int, string?, Task<(IReadOnlyList<TDocument>, string?)>> read, int pageSize,
        string? token, Func<TDocument, CancellationToken, Task<T?>> select, CancellationToken ct) where T : class =>
        FillAsync(read, pageSize, token, select, MaxStoreCalls, ct);

    /// <summary>
    /// The catalogue index, bucket by bucket: rows kept by <paramref name="select"/> (which reads what it needs by point
    /// read). Walking the buckets may cost an empty query per bucket, hence <see cref="CatalogIndex.Buckets"/> more calls.
    /// </summary>
    public static Task<ListPage<T>> ThroughCatalogAsync<T>(CatalogIndex index, int pageSize, string? token,
        Func<IndexedProduct, CancellationToken, Task<T?>> select, CancellationToken ct) where T : class =>
        FillAsync(async (size, t) =>
        {
            var page = await index.ReadAsync(size, t, ct);
            return (page.Rows, page.ContinuationToken);
        }, pageSize, token, select, MaxStoreCalls + CatalogIndex.Buckets, ct);

    private static async Task<ListPage<T>> FillAsync<TDocument, T>(Func<int, string?, Task<(IReadOnlyList<TDocument>, string?)>> read, int pageSize,
        string? token, Func<TDocument, CancellationToken, Task<T?>> select, int maxCalls, CancellationToken ct) where T : class
    {
        try { return await ScanAsync(read, pageSize, token, select, maxCalls, ct); }
        catch (InvalidContinuationTokenException) { throw new ValidationException("continuationToken", "is not a token this service issued"); }
    }

    private static async Task<ListPage<T>> ScanAsync<TDocument, T>(Func<int, string?, Task<(IReadOnlyList<TDocument>, string?)>> read, int pageSize,
        string? token, Func<TDocument, CancellationToken, Task<T?>> select, int maxCalls, CancellationToken ct) where T : class
    {
        var items = new List<T>();
        for (var calls = 0; calls < maxCalls && items.Count < pageSize; calls++)
        {
            var (documents, next) = await read(pageSize - items.Count, token);
            // The documents of one store page are looked at together: a filter that needs a read does them in parallel.
            items.AddRange((await Task.WhenAll(documents.Select(d => select(d, ct)))).OfType<T>());
            token = next;
            if (token is null) break;
        }
        return new ListPage<T>(items, token);
    }
}
