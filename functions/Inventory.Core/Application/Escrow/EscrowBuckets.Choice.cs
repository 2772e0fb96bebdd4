using System.Collections.Concurrent;
using Inventory.Domain;

namespace Inventory.Application.Escrow;

/// <summary>Which products are in escrow, and in which bucket this instance reserves them.</summary>
public sealed partial class EscrowBuckets
{
    private readonly int bucket = options.Bucket ?? Random.Shared.Next(1, Math.Clamp(options.Buckets, 1, EscrowOptions.MaxBuckets) + 1);
    /// <summary>Products switched into escrow by contention (<see cref="EscrowOptions.Automatic"/>), until when.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> hotUntil = new(StringComparer.Ordinal);

    /// <summary>
    /// The bucket this instance reserves <paramref name="productId"/> in, or null when the product is not in escrow: named
    /// in <see cref="EscrowOptions.Products"/>, or (<see cref="EscrowOptions.Automatic"/>) contended lately on this instance.
    /// </summary>
    public EscrowBucket? BucketFor(string productId) => options.Products.Contains(productId) || Hot(productId) ? new EscrowBucket(productId, bucket) : null;

    /// <summary>Hot until the cooldown after contention was last seen: an instance reserving in its bucket stops losing races on the product.</summary>
    private bool Hot(string productId)
    {
        if (!options.Automatic) return false;
        var now = clock.GetUtcNow();
        if (committer.Queues.Contention.IsHot(productId))
        {
            hotUntil[productId] = now + options.Cooldown;
            return true;
        }
        if (!hotUntil.TryGetValue(productId, out var until)) return false;
        if (now < until) return true;
        hotUntil.TryRemove(KeyValuePair.Create(productId, until));
        return false;
    }

    /// <summary>Every bucket of <paramref name="productId"/>.</summary>
    public IEnumerable<EscrowBucket> BucketsOf(string productId) =>
        Enumerable.Range(1, Math.Clamp(options.Buckets, 1, EscrowOptions.MaxBuckets)).Select(i => new EscrowBucket(productId, i));
}
