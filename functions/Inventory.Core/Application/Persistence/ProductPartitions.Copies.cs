using System.Text.Json;
using System.Text.Json.Nodes;
using Inventory.Application.Escrow;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// The product's copies in its escrow buckets (<see cref="Escrow.BucketCopies"/>): marks, copies, touches. Every copy
/// carries the revision of the product it was copied from, and a copy is never written back to an older revision: a
/// writer that read the product, then stalled before it read a copy, finds the copy a later save wrote and leaves it
/// (ETags say whether a document changed, not which version is newer).
/// </summary>
public sealed partial class ProductPartitions
{
    /// <summary>
    /// Records that bucket <paramref name="index"/> of the product is being made, before its partition is, so that every
    /// save of the product from then on copies into it (<see cref="CopyToBucketsAsync"/>). The product's first bucket (none
    /// marked or listed) is marked in one transaction with the product's stored body written again under the ETag read
    /// (as <see cref="TouchProductAsync"/>): a save that read the product before the mark found no bucket and enlisted
    /// nothing, and could write after the bucket was made from the product as it was, then die before it looks for buckets
    /// again; now its write fails and its retry finds the mark (<see cref="ProductForSaveAsync"/> reads the product before
    /// the marks). Later marks need no write of the product: a save that finds any bucket enlists before it writes and
    /// looks for buckets again after, so the makers of a sale's buckets contend on the product once, not per bucket.
    /// Idempotent; a document of its own, which no stock commit is conditioned on.
    /// </summary>
    internal async Task MarkBucketAsync(string productId, int index, CancellationToken ct)
    {
        var mark = ProductPartitionIds.Bucket(index);
        for (var attempt = 1; ; attempt++)
        {
            var docs = await ReadAsync(productId, [ProductPartitionIds.Product, ProductPartitionIds.Head], [ProductPartitionIds.BucketPrefix], ct);
            var marked = docs.MarkedBuckets.ToArray();
            if (marked.Contains(index)) return;
            if (!docs.Has(ProductPartitionIds.Product)) throw new ProductNotFoundException(productId);
            var product = docs.Stored(ProductPartitionIds.Product);
            IReadOnlyList<DocumentWrite> writes = marked.Length > 0 || docs.Head.Buckets is { Count: > 0 }
                ? [new DocumentWrite.Create(mark, DocumentJson.Write(new BucketMark(index)))]
                : [new DocumentWrite.Create(mark, DocumentJson.Write(new BucketMark(index))), new DocumentWrite.Replace(ProductPartitionIds.Product, product.Body, product.ETag)];
            if (await OptimisticConcurrency.TryAsync(() => CommitTypedAsync(productId, writes, ct))) return;
            if (attempt == MaxMarkAttempts) throw new ConcurrencyExhaustedException(productId, attempt); // saved without a pause
        }
    }

    private const int MaxMarkAttempts = 10;

    /// <summary>
    /// Copies the product's document into each of its escrow buckets made so far (marked, or listed in its head: made
    /// before marks), whose orders decide on their copy (an inactive product is refused there too); again while another
    /// save of the product lands meanwhile, so that every copy ends as the last save. A bucket marked and not made yet
    /// copies the product itself once made (<see cref="Escrow.EscrowBuckets.CreateAsync"/>). A copy a crash missed is
    /// made by the save's retry or by recovery (<see cref="Escrow.BucketCopies"/>), and the audit reports it meanwhile.
    /// <paramref name="beforeCopying"/> runs once when the product has buckets, before any copy. With
    /// <paramref name="rewrite"/> (the recovery sweep) a copy that already equals the product is written again, so that a
    /// copy write that read it before (a save or a sweep stalled until now) fails on its ETag instead of landing a stale
    /// product. Returns the buckets marked and not made yet (their maker copies the product when it makes them), and the
    /// ETag of the product copied (null when there was nothing to copy).
    /// </summary>
    public async Task<BucketCopy> CopyToBucketsAsync(string productId, CancellationToken ct, Func<Task>? beforeCopying = null, bool rewrite = false)
    {
        var docs = await ReadAsync(productId, [ProductPartitionIds.Head], [ProductPartitionIds.BucketPrefix], ct);
        var buckets = docs.MarkedBuckets.Union(docs.Head.Buckets ?? []).ToArray();
        if (buckets.Length > 0 && beforeCopying is not null) await beforeCopying();
        while (buckets.Length > 0)
        {
            var from = await StoredProductAsync(productId, ct);
            if (from.Product is null) return new([], null);
            var copied = true;
            var unmade = new List<int>();
            foreach (var bucket in buckets.Select(i => new EscrowBucket(productId, i)))
            {
                var copy = await StoredProductAsync(bucket.Partition, ct);
                var wanted = from.Product with { ProductId = bucket.Partition };
                if (copy.Product is null) unmade.Add(bucket.Index); // not made yet: it will copy the product when it is
                // A copy of a later revision: the product changed since it was read here (this loop reads it again).
                if (copy.Product is null || copy.Revision > from.Revision || (copy.Revision == from.Revision && copy.Product == wanted && !rewrite)) continue;
                copied &= await OptimisticConcurrency.TryAsync(() => CommitTypedAsync(bucket.Partition,
                    [new DocumentWrite.Replace(ProductPartitionIds.Product, ProductRevisions.Write(wanted, from.Revision), copy.ETag!)], ct));
            }
            if (copied && (await StoredProductAsync(productId, ct)).ETag == from.ETag) return new(unmade, from.ETag);
        }
        return new([], null);
    }

    /// <summary>
    /// Writes the product's document again, byte for byte (what this build's model does not know is kept), if it is still
    /// the version <paramref name="etag"/> names: a write that read it before (a save stalled until now) then fails on its
    /// ETag. False when it changed meanwhile.
    /// </summary>
    public async Task<bool> TouchProductAsync(string productId, string etag, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Product], [], ct);
        return docs is [var stored] && stored.ETag == etag && await OptimisticConcurrency.TryAsync(() => CommitTypedAsync(productId,
            [new DocumentWrite.Replace(ProductPartitionIds.Product, stored.Body, etag)], ct));
    }

    /// <summary>
    /// Makes bucket <paramref name="bucket"/>'s partition (must not exist): its copy of <paramref name="from"/>, at its
    /// revision, and its head.
    /// </summary>
    internal Task CreateCopyAsync(EscrowBucket bucket, StoredProduct from, CancellationToken ct) =>
        CreateProductAsync(from.Product! with { ProductId = bucket.Partition }, from.Revision, ct);

    /// <summary>The product (or a bucket's copy) as stored: its ETag and its revision (null, null, 0: none).</summary>
    internal async Task<StoredProduct> StoredProductAsync(string partition, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Products, partition, [ProductPartitionIds.Product], [], ct);
        return docs is [var stored, ..]
            ? new StoredProduct(DocumentJson.Read<Product>(stored.Body), stored.ETag, ProductRevisions.Of(stored.Body))
            : new StoredProduct(null, null, 0);
    }

    private sealed record BucketMark(int Index);
}

/// <summary>A product's document as stored, or a bucket's copy of it (<see cref="ProductPartitions.StoredProductAsync"/>).</summary>
internal sealed record StoredProduct(Product? Product, string? ETag, long Revision);

/// <summary>
/// The revision a product's document is stored with, beside the product's fields: one more at each save, kept by a write
/// of the body as read (a touch), carried by a bucket's copy. Documents written before it have none (0).
/// </summary>
internal static class ProductRevisions
{
    private const string Property = "revision";

    public static string Write(Product product, long revision)
    {
        var node = JsonSerializer.SerializeToNode(product, DocumentJson.Options)!.AsObject();
        node[Property] = revision;
        return node.ToJsonString(DocumentJson.Options);
    }

    public static long Of(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty(Property, out var revision) && revision.ValueKind == JsonValueKind.Number ? revision.GetInt64() : 0;
    }
}

/// <summary>What <see cref="ProductPartitions.CopyToBucketsAsync"/> did: the buckets marked and not made yet, and the ETag of the product copied.</summary>
public sealed record BucketCopy(IReadOnlyList<int> Unmade, string? ProductETag);
