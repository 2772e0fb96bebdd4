using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Catalog;

/// <summary>
/// A product's row in the catalogue index: what the lists filter on and the nightly scan walks. <see cref="Pending"/>
/// marks a row written as the intent of a save whose product document may not be written yet (or may never be: a
/// crash); <see cref="Saga"/> names that save, so only it (or a reader that sees the product match) confirms the row.
/// </summary>
public sealed record CatalogEntry(string ProductId, string Sku, string Name, string? CategoryId, bool IsActive, long ReorderPoint,
    long ReorderQuantity, bool AutoReplenish, bool Pending, string? Saga, DateTimeOffset UpdatedAt)
{
    public static CatalogEntry Of(Product p, bool pending, string? saga, DateTimeOffset at) =>
        new(p.ProductId, p.Sku, p.Name, p.CategoryId, p.IsActive, p.ReorderPoint, p.ReorderQuantity, p.AutoReplenish, pending, saga, at);

    /// <summary>Whether the row says what the product document says (the fields the index carries).</summary>
    public bool Describes(Product p) =>
        p.ProductId == ProductId && p.Sku == Sku && p.Name == Name && p.CategoryId == CategoryId && p.IsActive == IsActive
        && p.ReorderPoint == ReorderPoint && p.ReorderQuantity == ReorderQuantity && p.AutoReplenish == AutoReplenish;
}

/// <summary>An index row as read, with the ETag a repair is conditioned on.</summary>
public sealed record IndexedProduct(CatalogEntry Entry, string ETag);

/// <summary>A page of index rows; the token resumes after it (null: the index is done).</summary>
public sealed record CatalogPage(IReadOnlyList<IndexedProduct> Rows, string? ContinuationToken);

/// <summary>
/// The catalogue index: one row per product in <see cref="Buckets"/> fixed partitions of the Catalog collection (by a
/// stable hash of the product id), so listing every product reads a number of entities proportional to the number of
/// products, never a product's balances, reservations or ledger, and never a query without its partition key.
/// <para>
/// The row is written by the product's save as its intent, before the product document (<see cref="IntendAsync"/>),
/// and confirmed after it (<see cref="ConfirmAsync"/>). The product document stays the truth: readers read the row first,
/// then the product, and <see cref="RepairAsync"/> mends what a crash left: a row whose product does not exist is
/// skipped (and removed once older than <see cref="StaleAfter"/>), a row that differs from its product is rewritten from
/// it (a pending row only once the product matches it or it is stale, since its save may still be running).
/// </para>
/// </summary>
public sealed class CatalogIndex(IDocumentStore store, TimeProvider clock)
{
    public const int Buckets = 16;
    /// <summary>A pending row this old belongs to a save that died (a save lasts seconds; a Functions call at most minutes).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);
    private const string TokenVersion = "c1";
    /// <summary>Document type of a row, set on every write: its id is a product id, which could read as another document's id.</summary>
    public const string EntryType = "catalogEntry";

    public static string Bucket(string productId) =>
        (SHA256.HashData(Encoding.UTF8.GetBytes(productId))[0] % Buckets).ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>Writes the row as the save's intent (an index: unconditioned, the last intent wins). Returns the save's mark.</summary>
    public async Task<string> IntendAsync(Product product, CancellationToken ct)
    {
        var saga = Guid.NewGuid().ToString("N");
        await store.CommitAsync(Collection.Catalog, Bucket(product.ProductId),
            [new DocumentWrite.Upsert(product.ProductId, DocumentJson.Write(CatalogEntry.Of(product, true, saga, clock.GetUtcNow()))) { Type = EntryType }], ct);
        return saga;
    }

    /// <summary>
    /// Confirms the row after the product was written, if it is still this save's intent: a later save's intent (or a
    /// reader's repair) since then is left alone, as it already describes a later state or will be confirmed by its own writer.
    /// </summary>
    public async Task ConfirmAsync(Product product, string saga, CancellationToken ct)
    {
        var bucket = Bucket(product.ProductId);
        var docs = await store.ReadAsync(Collection.Catalog, bucket, [product.ProductId], [], ct);
        if (docs.Count == 0 || DocumentJson.Read<CatalogEntry>(docs[0].Body).Saga != saga) return;
        await OptimisticConcurrency.TryCommitAsync(store, Collection.Catalog, bucket,
            [new DocumentWrite.Replace(product.ProductId, DocumentJson.Write(CatalogEntry.Of(product, false, null, clock.GetUtcNow())), docs[0].ETag) { Type = EntryType }], ct);
    }

    /// <summary>
    /// Brings a row in line with its product, read after the row (<paramref name="truth"/>; null: no product document).
    /// Every write is conditioned on the row's ETag, so a save that wrote its intent since wins. Returns whether it wrote.
    /// </summary>
    public Task<bool> RepairAsync(IndexedProduct row, Product? truth, CancellationToken ct)
    {
        var e = row.Entry;
        var stale = clock.GetUtcNow() - e.UpdatedAt > StaleAfter;
        var bucket = Bucket(e.ProductId);
        if (truth is null)
            return e.Pending && stale
                ? OptimisticConcurrency.TryCommitAsync(store, Collection.Catalog, bucket, [new DocumentWrite.Delete(e.ProductId, row.ETag)], ct)
                : Task.FromResult(false);
        var matches = e.Describes(truth);
        if (e.Pending ? !(matches || stale) : matches) return Task.FromResult(false);
        return OptimisticConcurrency.TryCommitAsync(store, Collection.Catalog, bucket,
            [new DocumentWrite.Replace(e.ProductId, DocumentJson.Write(CatalogEntry.Of(truth, false, null, clock.GetUtcNow())), row.ETag) { Type = EntryType }], ct);
    }

    /// <summary>
    /// Makes the product's row describe its product (the backfill): the row is read first, then the product; a missing
    /// row is created (lost to a save's intent written meanwhile, that intent stands), any other mended as
    /// <see cref="RepairAsync"/> does. Returns whether it wrote.
    /// </summary>
    public async Task<bool> EnsureAsync(string productId, CancellationToken ct)
    {
        var bucket = Bucket(productId);
        var rows = await store.ReadAsync(Collection.Catalog, bucket, [productId], [], ct);
        var truth = await new ProductPartitions(store).ProductAsync(productId, ct);
        if (rows.Count > 0) return await RepairAsync(new IndexedProduct(DocumentJson.Read<CatalogEntry>(rows[0].Body), rows[0].ETag), truth, ct);
        return truth is not null && await OptimisticConcurrency.CreateOnceAsync(store, Collection.Catalog, bucket,
            [new DocumentWrite.Create(productId, DocumentJson.Write(CatalogEntry.Of(truth, false, null, clock.GetUtcNow()))) { Type = EntryType }], ct);
    }

    /// <summary>
    /// One store query: up to <paramref name="pageSize"/> rows of the bucket the token is at (in id order), and the token
    /// of what follows (the rest of that bucket, or the next bucket). Throws <see cref="InvalidContinuationTokenException"/>
    /// for a token this index did not issue.
    /// </summary>
    public async Task<CatalogPage> ReadAsync(int pageSize, string? token, CancellationToken ct)
    {
        var (bucket, inner) = Parse(token);
        var page = await store.QueryAsync(Collection.Catalog, bucket.ToString("D2", CultureInfo.InvariantCulture), "", pageSize, inner, ct);
        var rows = page.Documents.Select(d => new IndexedProduct(DocumentJson.Read<CatalogEntry>(d.Body), d.ETag)).ToArray();
        var next = page.ContinuationToken is { } more ? Format(bucket, more) : bucket + 1 < Buckets ? Format(bucket + 1, null) : null;
        return new CatalogPage(rows, next);
    }

    /// <summary>Up to <paramref name="pageSize"/> rows across buckets (fewer only at the end or after <paramref name="maxCalls"/> queries).</summary>
    public async Task<CatalogPage> PageAsync(int pageSize, string? token, int maxCalls, CancellationToken ct)
    {
        var rows = new List<IndexedProduct>();
        for (var calls = 0; calls < maxCalls && rows.Count < pageSize; calls++)
        {
            var page = await ReadAsync(pageSize - rows.Count, token, ct);
            rows.AddRange(page.Rows);
            token = page.ContinuationToken;
            if (token is null) break;
        }
        return new CatalogPage(rows, token);
    }

    private static string Format(int bucket, string? inner) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{TokenVersion}|{bucket}|{inner}"));

    private static (int Bucket, string? Inner) Parse(string? token)
    {
        if (token is null) return (0, null);
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|', 3);
            if (parts.Length == 3 && parts[0] == TokenVersion && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bucket)
                && bucket is >= 0 and < Buckets)
                return (bucket, parts[2].Length == 0 ? null : parts[2]);
        }
        catch (FormatException) { }
        throw new InvalidContinuationTokenException();
    }
}
