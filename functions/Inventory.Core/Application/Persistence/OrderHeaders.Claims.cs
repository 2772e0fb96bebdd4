using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>
/// Where order headers live: <see cref="HeaderBuckets"/> claim buckets of the Orders collection (<c>hdr|{bucket}</c>, a hash
/// of the order id; the header's id is the order id), so the claims of concurrent orders are one transaction per bucket
/// (<see cref="ClaimBatches"/>) instead of one request each. Headers written by builds before the buckets (the first
/// layout: partition = order id, id <c>order</c>) stay where they are and are still found, changed and refused as a
/// reused id; whether a store has any is found once and kept in a marker (<see cref="FirstLayout"/>), so a store that never
/// had one pays no second read.
/// A store that caps what one partition holds (<see cref="StoreLimits.MaxPartitionBytes"/>: Cosmos DB, 20 GB) keeps each
/// header in the first layout instead: the buckets would cap its headers at 16 times that for its lifetime, and there
/// a transaction costs the sum of its operations, so a shared claim saves nothing. Headers a previous build put in its
/// claim buckets are found there (<see cref="ClaimedBuckets"/>, looked at once per instance).
/// </summary>
public sealed partial class OrderHeaders
{
    public const int HeaderBuckets = 16;
    public const string HeaderPartitionPrefix = "hdr|";
    private const string HeaderType = "order";

    private readonly ClaimBatches claims = new(store, HeaderType, (concurrencyOptions ?? new ConcurrencyOptions()).ClaimMaxWait);
    private readonly FirstLayout layout = new(store);
    private readonly ClaimedBuckets claimedBuckets = new(store);

    /// <summary>Whether new headers go to their order's own partition (a store capping a partition's size), not a claim bucket.</summary>
    private bool OwnPartitions => store.Limits.MaxPartitionBytes is not null;

    /// <summary>The claim bucket of an order's header (an order id cannot contain '|', so no order's own partition is one).</summary>
    public static string HeaderPartition(string orderId) =>
        HeaderPartitionPrefix + (SHA256.HashData(Encoding.UTF8.GetBytes(orderId))[0] % HeaderBuckets).ToString("D2", CultureInfo.InvariantCulture);

    public static IEnumerable<string> HeaderPartitions() =>
        Enumerable.Range(0, HeaderBuckets).Select(b => HeaderPartitionPrefix + b.ToString("D2", CultureInfo.InvariantCulture));

    /// <summary>A header as stored (or a fence in its place: <see cref="OrderRecord.IsFence"/>), where it is.</summary>
    private sealed record HeaderAt(string Partition, StoredDocument Header)
    {
        public OrderRecord Order { get; } = DocumentJson.Read<OrderRecord>(Header.Body);
    }

    /// <summary>The stored header with where it is: its claim bucket, or its order's partition (the first layout). A fence is no header.</summary>
    private async Task<HeaderAt?> LocateAsync(string orderId, CancellationToken ct) =>
        await LocateStoredAsync(orderId, ct) is { Order.IsFence: false } at ? at : null;

    private async Task<HeaderAt?> LocateStoredAsync(string orderId, CancellationToken ct)
    {
        if (OwnPartitions)
            return await ReadOwnPartitionAsync(orderId, ct) ?? (await claimedBuckets.InUseAsync(ct) ? await ReadBucketAsync(orderId, ct) : null);
        return await ReadBucketAsync(orderId, ct) ?? (await layout.FirstLayoutInUseAsync(ct) ? await ReadOwnPartitionAsync(orderId, ct) : null);
    }

    private Task<HeaderAt?> ReadBucketAsync(string orderId, CancellationToken ct) => ReadAtAsync(HeaderPartition(orderId), orderId, ct);

    private Task<HeaderAt?> ReadOwnPartitionAsync(string orderId, CancellationToken ct) => ReadAtAsync(orderId, HeaderId, ct);

    private async Task<HeaderAt?> ReadAtAsync(string partition, string id, CancellationToken ct) =>
        await store.ReadAsync(Collection.Orders, partition, [id], [], ct) is [var header, ..] ? new HeaderAt(partition, header) : null;

    /// <summary>Where a new header of the order goes (its partition and id): its claim bucket, or its order's partition on a store capping partitions.</summary>
    private (string Partition, string Id) NewHeaderPlace(string orderId) => OwnPartitions ? (orderId, HeaderId) : (HeaderPartition(orderId), orderId);

    /// <summary>Whether a header of the other layout than the one new headers go to may exist.</summary>
    private async Task<bool> OtherLayoutInUseAsync(CancellationToken ct) =>
        OwnPartitions ? await claimedBuckets.InUseAsync(ct) : await layout.FirstLayoutInUseAsync(ct);

    /// <summary>
    /// Records in the store whether it holds headers of the first layout (a start-up step, <c>StoreSetupStep</c>), so an
    /// instance's first look is one point read rather than a listing.
    /// </summary>
    public Task RecordLayoutAsync(CancellationToken ct) => OwnPartitions ? Task.CompletedTask : layout.RecordAsync(ct);

    /// <summary>
    /// Whether any claim bucket holds a header, on a store whose new headers go to their order's partition: those a
    /// previous build put there (one query per bucket, once per instance; no build writes them on such a store now).
    /// </summary>
    private sealed class ClaimedBuckets(IDocumentStore store)
    {
        private Task<bool>? found;

        public Task<bool> InUseAsync(CancellationToken ct)
        {
            var task = found;
            if (task is null || task.IsFaulted || task.IsCanceled) found = task = FindAsync(); // a failed look is tried again
            return task.WaitAsync(ct);
        }

        private async Task<bool> FindAsync()
        {
            var looks = HeaderPartitions().Select(async bucket =>
            {
                string? token = null;
                do
                {
                    var page = await store.QueryAsync(Collection.Orders, bucket, "", 1, token, CancellationToken.None);
                    if (page.Documents.Count > 0) return true;
                    token = page.ContinuationToken;
                } while (token is not null);
                return false;
            });
            return (await Task.WhenAll(looks)).Any(found => found);
        }
    }

    /// <summary>
    /// Whether the store holds headers of the first layout, found once per instance: from the marker
    /// <c>layout|orders/headers</c> that the start-up step writes, or, where it has not run, by a listing of the partitions
    /// holding an <c>order</c> document (which writes nothing). Only older builds write the first layout, and a deploy
    /// swaps every instance at once (docs/deploy.md), so a store found without one never gets one.
    /// </summary>
    private sealed class FirstLayout(IDocumentStore store)
    {
        private const string Partition = "layout|orders";
        private const string MarkerId = "headers";
        private Task<bool>? found;

        private sealed record Marker(bool FirstLayoutHeaders);

        public Task<bool> FirstLayoutInUseAsync(CancellationToken ct)
        {
            var task = found;
            if (task is null || task.IsFaulted || task.IsCanceled) found = task = FindAsync(); // a failed look is tried again
            return task.WaitAsync(ct);
        }

        public async Task RecordAsync(CancellationToken ct)
        {
            if (await ReadAsync(ct) is not null) return;
            var marker = DocumentJson.Write(new Marker(await ListAsync(ct)));
            await OptimisticConcurrency.CreateOnceAsync(store, Collection.Orders, Partition, [new DocumentWrite.Create(MarkerId, marker) { Type = "orderLayout" }], ct);
        }

        private async Task<bool> FindAsync() => await ReadAsync(CancellationToken.None) ?? await ListAsync(CancellationToken.None);

        private async Task<bool> ListAsync(CancellationToken ct)
        {
            string? token = null;
            do
            {
                // A claim bucket holds an "order" document when an order's id is "order": not the first layout.
                var (partitions, next) = await store.ListPartitionsAsync(Collection.Orders, HeaderId, 1, token, ct);
                if (partitions.Any(p => !p.StartsWith(HeaderPartitionPrefix, StringComparison.Ordinal))) return true;
                token = next;
            } while (token is not null);
            return false;
        }

        private async Task<bool?> ReadAsync(CancellationToken ct)
        {
            var docs = await store.ReadAsync(Collection.Orders, Partition, [MarkerId], [], ct);
            return docs.Count == 0 ? null : DocumentJson.Read<Marker>(docs[0].Body).FirstLayoutHeaders;
        }
    }
}
