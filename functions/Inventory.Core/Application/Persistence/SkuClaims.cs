using Inventory.Application.Catalog;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// The SKU claims module: collection Skus, one partition per SKU, document <c>sku</c> naming the product that holds it
/// (see <see cref="SaveProduct"/> for how a stale claim is taken over).
/// </summary>
public sealed class SkuClaims(IDocumentStore store)
{
    internal const string DocumentId = "sku";
    private const string DocumentType = "skuClaim";
    /// <summary>A claim younger than this may belong to a save still running (seconds; a Functions call at most minutes).</summary>
    public static readonly TimeSpan StaleAfter = CatalogIndex.StaleAfter;

    /// <summary>Whether the claim is old enough that no save taking it can still be running.</summary>
    public static bool IsOld(SkuClaim claim, DateTimeOffset now) => claim.TakenAt is not { } at || now - at > StaleAfter;

    /// <summary>Creates the claim (must not exist); false when the SKU is claimed already.</summary>
    public Task<bool> CreateAsync(SkuClaim claim, CancellationToken ct) =>
        OptimisticConcurrency.CreateOnceAsync(store, Collection.Skus, claim.Sku,
            [new DocumentWrite.Create(DocumentId, DocumentJson.Write(claim)) { Type = DocumentType }], ct);

    public async Task<SkuClaim?> FindAsync(string sku, CancellationToken ct) => (await FindWithETagAsync(sku, ct)).Claim;

    public async Task<(SkuClaim? Claim, string? ETag)> FindWithETagAsync(string sku, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Skus, sku, [DocumentId], [], ct);
        return docs.Count == 0 ? (null, null) : (DocumentJson.Read<SkuClaim>(docs[0].Body), docs[0].ETag);
    }

    /// <summary>Takes the claim over under the ETag read (a conflict is the caller's).</summary>
    public Task ReplaceAsync(SkuClaim claim, string etag, CancellationToken ct) =>
        store.CommitAsync(Collection.Skus, claim.Sku, [new DocumentWrite.Replace(DocumentId, DocumentJson.Write(claim), etag) { Type = DocumentType }], ct);

    /// <summary>Drops the claim if it is still as read; false when someone changed it meanwhile.</summary>
    public Task<bool> TryDeleteAsync(string sku, string etag, CancellationToken ct) =>
        OptimisticConcurrency.TryCommitAsync(store, Collection.Skus, sku, [new DocumentWrite.Delete(DocumentId, etag)], ct);
}
