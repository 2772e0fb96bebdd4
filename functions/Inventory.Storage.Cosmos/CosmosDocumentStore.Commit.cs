using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;

namespace Inventory.Storage.Cosmos;

public sealed partial class CosmosDocumentStore
{
    /// <summary>What one operation adds to a batch's payload besides its item: kind, id, ETag, framing.</summary>
    internal const int OperationOverheadBytes = 256;

    /// <summary>The longest the store waits on one RetryAfter before trying a throttled commit again.</summary>
    private static readonly TimeSpan MaxThrottleWait = TimeSpan.FromSeconds(10);

    private sealed record Operation(DocumentWrite Write, string ItemId, byte[]? Item);

    /// <summary>
    /// One transactional batch: CreateItem for Create (must not exist), ReplaceItem and DeleteItem with IfMatchEtag,
    /// UpsertItem for Upsert. The response does not throw, so it is read here: the failing operation (the one whose
    /// status is not 424 Failed Dependency) says which conflict it was; 429 is retried after its RetryAfter, a few times.
    /// </summary>
    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (writes.Count == 0) return;
        await Guarded("commit", collection, async () => { await CommitCoreAsync(collection, partition, writes, cancellationToken); return true; }, cancellationToken);
    }

    private async Task CommitCoreAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken)
    {
        var operations = Prepare(collection, partition, writes);
        var container = Container(collection);
        var extraRetries = CosmosPatience.IsInteractive ? 0 : options.ThrottleRetries; // an HTTP caller gets its 503 now
        for (var retry = 0; ; retry++)
        {
            using var response = await Batch(container, partition, operations).ExecuteAsync(cancellationToken);
            Charge("commit", collection, partition, response.RequestCharge);
            if (response.IsSuccessStatusCode) return;
            if (response.StatusCode != HttpStatusCode.TooManyRequests) throw Failure(response, operations, collection, partition);
            if (retry >= extraRetries)
                throw new StoreThrottledException(CosmosLimits.StoreName,
                    $"Cosmos kept throttling the commit on {CosmosLayout.For(collection).Name}/{partition} (429) after the SDK's retries and {retry} more; " +
                    $"nothing was written. Retry later, or raise the container's RU/s. (activity {response.ActivityId ?? "?"})", response.RetryAfter);
            var wait = response.RetryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.FromMilliseconds(100 << Math.Min(retry, 6));
            logger.LogWarning("Cosmos throttled the commit on {Collection}/{Partition}; retrying in {Wait}", collection, partition, wait);
            await Task.Delay(wait < MaxThrottleWait ? wait : MaxThrottleWait, cancellationToken);
        }
    }

    /// <summary>Serialises every item once (a throttled batch is rebuilt from these bytes) and refuses, before sending, what Cosmos would.</summary>
    private static Operation[] Prepare(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes)
    {
        var limits = CosmosLimits;
        if (writes.Count > limits.MaxWritesPerCommit)
            throw new TransactionTooLargeException(
                $"{writes.Count} writes in one commit; {limits.StoreName} allows {limits.MaxWritesPerCommit} operations per transactional batch.");
        StoreKeys.RefuseDuplicates(writes);
        var layout = CosmosLayout.For(collection);
        var operations = new Operation[writes.Count];
        long total = 0;
        for (var i = 0; i < writes.Count; i++)
        {
            var w = writes[i];
            var body = w switch
            {
                DocumentWrite.Create c => c.Body,
                DocumentWrite.Replace r => r.Body,
                DocumentWrite.Upsert u => u.Body,
                DocumentWrite.Delete => null,
                _ => throw new ArgumentOutOfRangeException(nameof(writes), w, "Unknown write."),
            };
            var item = body is null ? null : CosmosItems.ToItem(layout, partition, w.Id, body, w.Type);
            if (item is not null && item.Length > limits.MaxDocumentBytes)
                throw new TransactionTooLargeException(
                    $"Document '{w.Id}' is {item.Length} bytes; {limits.StoreName} allows {limits.MaxDocumentBytes} bytes (2 MB) per item.");
            total += (item?.Length ?? 0) + OperationOverheadBytes;
            operations[i] = new Operation(w, CosmosItems.ItemId(w.Id), item);
        }
        if (total > limits.MaxCommitBytes)
            throw new TransactionTooLargeException(
                $"Commit of about {total} bytes; {limits.StoreName} allows {limits.MaxCommitBytes} bytes (2 MB) per transactional batch.");
        return operations;
    }

    private static TransactionalBatch Batch(Container container, string partition, Operation[] operations)
    {
        var batch = container.CreateTransactionalBatch(new PartitionKey(partition));
        foreach (var op in operations)
        {
            // The fluent methods return the batch itself; it is kept in `batch` rather than chained.
            _ = op.Write switch
            {
                DocumentWrite.Create => batch.CreateItemStream(Stream(op)),
                DocumentWrite.Replace r => batch.ReplaceItemStream(op.ItemId, Stream(op), IfMatch(r.IfMatch)),
                DocumentWrite.Delete d => batch.DeleteItem(op.ItemId, IfMatch(d.IfMatch)),
                DocumentWrite.Upsert => batch.UpsertItemStream(Stream(op)),
                _ => throw new InvalidOperationException($"Unknown write {op.Write}."),
            };
        }
        return batch;
    }

    private static MemoryStream Stream(Operation op) => new(op.Item!, writable: false);

    private static TransactionalBatchItemRequestOptions IfMatch(string etag) => new() { IfMatchEtag = etag };

    /// <summary>Maps a refused batch: the first operation whose status is not 424 is the one that failed.</summary>
    private static Exception Failure(TransactionalBatchResponse response, Operation[] operations, Collection collection, string partition)
    {
        // Refused whole (the container or its database missing: 404 with a sub-status), the SDK gives every operation the
        // batch's status: no document was missing, and read as one, a configuration error passed for a lost race.
        if (response.StatusCode == HttpStatusCode.NotFound && int.TryParse(response.Headers?["x-ms-substatus"], out var subStatus) && subStatus != 0)
            return Misconfigured($"Cosmos commit on {CosmosLayout.For(collection).Name}/{partition}", subStatus, response.ActivityId);
        var failed = Enumerable.Range(0, Math.Min(response.Count, operations.Length))
            .Select(i => (Index: i, Status: response[i].StatusCode))
            .FirstOrDefault(r => r.Status != HttpStatusCode.FailedDependency, (Index: -1, Status: response.StatusCode));
        var documentId = failed.Index >= 0 ? operations[failed.Index].Write.Id : null;
        if (failed.Index >= 0)
        {
            ConflictKind? kind = failed.Status switch
            {
                HttpStatusCode.PreconditionFailed => ConflictKind.PreconditionFailed,
                HttpStatusCode.Conflict => ConflictKind.AlreadyExists,
                HttpStatusCode.NotFound => ConflictKind.NotFound,
                _ => null,
            };
            if (kind is { } k) return new CommitConflictException(k, documentId);
        }
        if (failed.Status == HttpStatusCode.RequestEntityTooLarge)
            return new TransactionTooLargeException($"{CosmosLimits.StoreName} refused the commit on '{partition}' as too large (413): {response.ErrorMessage}");
        return new StoreUnavailableException(CosmosLimits.StoreName,
            $"Cosmos refused the commit on {CosmosLayout.For(collection).Name}/{partition} at document '{documentId ?? "?"}': {response.ErrorMessage} " +
            $"(HTTP {(int)failed.Status} {failed.Status}, activity {response.ActivityId ?? "?"})", (int)failed.Status);
    }
}
