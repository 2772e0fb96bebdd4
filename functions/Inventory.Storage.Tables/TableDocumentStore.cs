using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;

namespace Inventory.Storage.Tables;

/// <summary>
/// The storage port on Azure Table Storage (and Azurite). A partition maps to a PartitionKey, a document to a row whose
/// RowKey is its id and whose Body property holds its JSON. A commit is one entity group transaction: Add for creates,
/// UpdateReplace and Delete with the ETag read, so the service applies all of it or none (a commit of one write: that
/// entity's own request).
/// </summary>
public sealed class TableDocumentStore : IDocumentStore
{
    /// <summary>Table Storage: 100 actions and 4 MiB per transaction, 1 MiB per entity, 64 KiB per string property.</summary>
    public static readonly StoreLimits TableLimits = new(100, 4 * 1024 * 1024, 64 * 1024, "Azure Table Storage");

    private readonly TableServiceClient service;
    private readonly TableStoreOptions options;
    private readonly ConcurrentDictionary<Collection, TableClient> tables = new();

    public TableDocumentStore(TableServiceClient service, TableStoreOptions options)
    {
        this.service = service;
        this.options = options;
    }

    public static TableDocumentStore Create(TableStoreOptions options) => new(
        options.TableConnectionString is { Length: > 0 } cs ? new TableServiceClient(cs)
        : options.TableServiceUri is { Length: > 0 } uri ? new TableServiceClient(new Uri(uri), new DefaultAzureCredential())
        : throw new InvalidOperationException("Set Store:TableConnectionString or Store:TableServiceUri."), options);

    public StoreLimits Limits => TableLimits;

    public string TableName(Collection collection) => options.TablePrefix + collection.ToString().ToLowerInvariant();

    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        foreach (var collection in Enum.GetValues<Collection>())
            await service.CreateTableIfNotExistsAsync(TableName(collection), ct);
    }

    private TableClient Table(Collection collection) => tables.GetOrAdd(collection, c => service.GetTableClient(TableName(c)));

    /// <summary>Requests one read sends at once: a coalesced batch naming many orders stays within a few connections.</summary>
    public const int MaxParallelReads = 8;

    /// <summary>How many times a read of several documents is tried while a commit lands under it; the last is not checked.</summary>
    public const int MaxReadAttempts = 5;

    /// <summary>
    /// Each id is a point read and each prefix one range query on (PartitionKey, RowKey), sent in parallel: Table Storage
    /// serves a filter that ORs RowKeys as a scan of the whole partition (ledger included), these from its index.
    /// </summary>
    /// <remarks>
    /// The requests are not one snapshot, so a read of several documents reads the first id, then the rest, then the first
    /// id again: unchanged (same ETag, or still absent), no commit that replaces it landed in between, and the rest are as
    /// of its read. A product's reads name its head first and every stock commit replaces the head, so a decision never
    /// sees a reservation newer than the balances (it once threw "would become negative" instead of being retried). A
    /// changed first id reads everything again, up to <see cref="MaxReadAttempts"/> times; the last attempt is not checked
    /// (its first id is still no newer than the rest, so a commit conditioned on it fails). Cost: one more point read per
    /// read of several documents (none on the last attempt); a read of one id or one prefix is one request.
    /// </remarks>
    public async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        var (points, ranges) = ReadPlan(partition, ids, idPrefixes);
        var table = Table(collection);
        var pk = TableKeys.Escape(partition);
        async Task<StoredDocument?> PointAsync(string rowKey, CancellationToken ct)
        {
            var entity = await table.GetEntityIfExistsAsync<TableEntity>(pk, rowKey, cancellationToken: ct);
            if (entity.HasValue && entity.Value is { } e) return ToDocument(e);
            // The SDK answers "no value" for a missing table too: that is the settings' fault, never an absent document.
            if (entity.GetRawResponse() is { Status: 404 } raw && raw.Headers.TryGetValue("x-ms-error-code", out var code) && code == TableNotFound)
                throw Misconfigured("read", collection);
            return null;
        }
        var first = points.Count > 1 || (points.Count == 1 && ranges.Count > 0) ? points[0] : null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var found = new ConcurrentBag<StoredDocument>();
                var before = first is null ? null : await PointAsync(first, cancellationToken);
                if (before is not null) found.Add(before);
                var reads = points.Where(p => p != first).Select(rowKey => (Func<CancellationToken, Task>)(async ct =>
                    {
                        if (await PointAsync(rowKey, ct) is { } d) found.Add(d);
                    }))
                    .Concat(ranges.Select(filter => (Func<CancellationToken, Task>)(async ct =>
                    {
                        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
                            found.Add(ToDocument(entity));
                    })));
                await Parallel.ForEachAsync(reads, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelReads, CancellationToken = cancellationToken },
                    (read, ct) => new ValueTask(read(ct)));
                // Past the attempts (a partition changing faster than it is read) the last read stands: its first id is
                // still no newer than the rest, so a commit conditioned on it fails and is retried. Throwing instead
                // would fail the reads made outside a retry loop (an order's replay check) under contention.
                if (first is null || attempt >= MaxReadAttempts || (await PointAsync(first, cancellationToken))?.ETag == before?.ETag)
                    return found.DistinctBy(d => d.Id).ToArray();
            }
        }
        catch (Exception e) when (StoreFailure(e, "read", collection, cancellationToken) is { } failure) { throw failure; }
    }

    /// <summary>
    /// How a read of these ids and prefixes of one partition goes to the service: the escaped RowKey of each id (a point
    /// read) and one range filter per prefix (<c>PartitionKey eq P and RowKey ge prefix and RowKey lt prefix+1</c>).
    /// </summary>
    public static (IReadOnlyList<string> PointRowKeys, IReadOnlyList<string> RangeFilters) ReadPlan(string partition,
        IReadOnlyCollection<string> ids, IReadOnlyCollection<string> idPrefixes)
    {
        var pk = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(partition)}");
        var prefixes = idPrefixes.Distinct(StringComparer.Ordinal).ToArray();
        // An id a prefix also covers comes back from the range: no point read for it.
        var points = ids.Distinct(StringComparer.Ordinal).Where(id => !prefixes.Any(p => id.StartsWith(p, StringComparison.Ordinal)))
            .Select(TableKeys.Escape).ToArray();
        return (points, prefixes.Select(p => pk + " and " + Range(p)).ToArray());
    }

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (writes.Count == 0) return;
        CheckLimits(writes);
        var pk = TableKeys.Escape(partition);
        if (writes.Count == 1)
        {
            await CommitOneAsync(collection, pk, writes[0], cancellationToken);
            return;
        }
        var actions = writes.Select(w => w switch
        {
            DocumentWrite.Create c => new TableTransactionAction(TableTransactionActionType.Add, Entity(pk, c.Id, c.Body)),
            DocumentWrite.Replace r => new TableTransactionAction(TableTransactionActionType.UpdateReplace, Entity(pk, r.Id, r.Body), new ETag(r.IfMatch)),
            DocumentWrite.Delete d => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(pk, TableKeys.Escape(d.Id)), new ETag(d.IfMatch)),
            DocumentWrite.Upsert u => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(pk, u.Id, u.Body)),
            _ => throw new ArgumentOutOfRangeException(nameof(writes), w, "Unknown write."),
        }).ToList();
        try
        {
            await Table(collection).SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (ConflictOf(e.Status, e.ErrorCode) is { } kind)
        {
            var index = e.FailedTransactionActionIndex;
            throw new CommitConflictException(kind, index is { } i && i < writes.Count ? writes[i].Id : null, e);
        }
        catch (RequestFailedException e) when (e.Status == 413) { throw TooLarge(e); }
        catch (Exception e) when (StoreFailure(e, "commit", collection, cancellationToken) is { } failure) { throw failure; }
    }

    /// <summary>
    /// A commit of one write is the entity's own request, not a transaction of one: the same condition and outcome, for
    /// less of the service's work (Azurite: 0.72–0.89 ms of its CPU an insert against 0.88–1.12 ms, bench/README.md).
    /// An order's claim, an open-saga entry and its removal are such commits.
    /// </summary>
    private async Task CommitOneAsync(Collection collection, string pk, DocumentWrite write, CancellationToken ct)
    {
        var table = Table(collection);
        try
        {
            var response = write switch
            {
                DocumentWrite.Create c => await table.AddEntityAsync(Entity(pk, c.Id, c.Body), ct),
                DocumentWrite.Replace r => await table.UpdateEntityAsync(Entity(pk, r.Id, r.Body), new ETag(r.IfMatch), TableUpdateMode.Replace, ct),
                DocumentWrite.Delete d => await table.DeleteEntityAsync(pk, TableKeys.Escape(d.Id), new ETag(d.IfMatch), ct),
                DocumentWrite.Upsert u => await table.UpsertEntityAsync(Entity(pk, u.Id, u.Body), TableUpdateMode.Replace, ct),
                _ => throw new ArgumentOutOfRangeException(nameof(write), write, "Unknown write."),
            };
            // The SDK answers a delete of a missing entity without throwing: under an ETag it is a conflict, as in a transaction;
            // in a missing table it is the settings' fault, never a lost race (callers take a conflict as "taken over").
            if (response.Status == 404)
                throw response.Headers.TryGetValue("x-ms-error-code", out var code) && code == TableNotFound
                    ? Misconfigured("commit", collection) : new CommitConflictException(ConflictKind.NotFound, write.Id);
        }
        catch (RequestFailedException e) when (ConflictOf(e.Status, e.ErrorCode) is { } kind)
        {
            throw new CommitConflictException(kind, write.Id, e);
        }
        catch (RequestFailedException e) when (e.Status == 413) { throw TooLarge(e); }
        catch (Exception e) when (StoreFailure(e, "commit", collection, ct) is { } failure) { throw failure; }
    }

    public async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(partition)}") + " and " + Range(idPrefix);
        var scope = $"q|{collection}|{filter}";
        // From a position: the same filter after that RowKey. The service's token it answers goes on with the plain filter.
        var (asked, serviceToken) = QueryPosition.TryAfter(continuationToken, out var afterId)
            ? (filter + " and " + TableClient.CreateQueryFilter($"RowKey gt {TableKeys.Escape(afterId)}"), null)
            : (filter, TablePageTokens.Decode(continuationToken, scope));
        try
        {
            await foreach (var page in Table(collection).QueryAsync<TableEntity>(asked, pageSize, cancellationToken: cancellationToken)
                .AsPages(serviceToken, pageSize))
                return new DocumentPage(page.Values.Select(ToDocument).ToArray(), TablePageTokens.Encode(scope, page.ContinuationToken));
        }
        catch (RequestFailedException e) when (continuationToken is not null && e.Status == 400)
        {
            throw new InvalidContinuationTokenException();
        }
        catch (Exception e) when (StoreFailure(e, "query", collection, cancellationToken) is { } failure) { throw failure; }
        return new DocumentPage([], null);
    }

    public async Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Escape(documentId)}");
        var scope = $"p|{collection}|{filter}";
        try
        {
            await foreach (var page in Table(collection).QueryAsync<TableEntity>(filter, pageSize, ["PartitionKey"], cancellationToken)
                .AsPages(TablePageTokens.Decode(continuationToken, scope), pageSize))
                return (page.Values.Select(e => TableKeys.Unescape(e.PartitionKey)).ToArray(), TablePageTokens.Encode(scope, page.ContinuationToken));
        }
        catch (RequestFailedException e) when (continuationToken is not null && e.Status == 400)
        {
            throw new InvalidContinuationTokenException(); // the service refused the token's position: the caller's bad input, not an outage
        }
        catch (Exception e) when (StoreFailure(e, "list partitions", collection, cancellationToken) is { } failure) { throw failure; }
        return ([], null);
    }

    /// <summary>A scan of the table on RowKey: the service may answer a page with fewer rows, even none, and a token.</summary>
    public async Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Escape(documentId)}");
        var scope = $"a|{collection}|{filter}";
        try
        {
            await foreach (var page in Table(collection).QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken)
                .AsPages(TablePageTokens.Decode(continuationToken, scope), pageSize))
                return new PartitionDocumentPage(page.Values.Select(e => new PartitionDocument(TableKeys.Unescape(e.PartitionKey), ToDocument(e))).ToArray(),
                    TablePageTokens.Encode(scope, page.ContinuationToken));
        }
        catch (RequestFailedException e) when (continuationToken is not null && e.Status == 400)
        {
            throw new InvalidContinuationTokenException();
        }
        catch (Exception e) when (StoreFailure(e, "query across partitions", collection, cancellationToken) is { } failure) { throw failure; }
        return new PartitionDocumentPage([], null);
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in Table(Collection.Products).QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken)
                .AsPages(pageSizeHint: 1))
                return;
        }
        catch (Exception e) when (StoreFailure(e, "ping", Collection.Products, cancellationToken) is { } failure) { throw failure; }
    }

    /// <summary>
    /// The port's error for a failure of the service or the way to it: 429 and 503 (the service's "server busy") are
    /// throttling, any other refusal, a network failure, a timeout or no token for the app's identity is unavailability.
    /// Null for what is not the store's (a cancellation the caller asked for, a bug), which then propagates as it is.
    /// </summary>
    public static StoreFailureException? StoreFailure(Exception e, string operation, Collection collection, CancellationToken cancellationToken)
    {
        var what = $"Table {operation} on {collection}";
        return e switch
        {
            StoreFailureException or CommitConflictException or InvalidContinuationTokenException => null,
            RequestFailedException { Status: 404, ErrorCode: TableNotFound } => Misconfigured(operation, collection),
            // Azure.Core throws this when its retries are spent on transport failures: the last attempt says what happened.
            AggregateException { InnerExceptions.Count: > 0 } a => StoreFailure(a.InnerExceptions[^1], operation, collection, cancellationToken),
            RequestFailedException { Status: 429 or 503 } r =>
                new StoreThrottledException(TableLimits.StoreName, $"{what} was throttled (HTTP {r.Status} {r.ErrorCode}): {r.Message}", RetryAfter(r), r.Status, r),
            RequestFailedException r =>
                new StoreUnavailableException(TableLimits.StoreName, $"{what} failed (HTTP {r.Status} {r.ErrorCode}): {r.Message}", r.Status == 0 ? null : r.Status, r),
            HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException =>
                new StoreUnavailableException(TableLimits.StoreName, $"{what} failed: {e.Message}", null, e),
            OperationCanceledException when !cancellationToken.IsCancellationRequested =>
                new StoreUnavailableException(TableLimits.StoreName, $"{what} timed out: {e.Message}", null, e),
            // The app's identity got no token (its endpoint down, a role not in place yet): unreachable, as in an outage.
            // The credential's own text stays with the inner exception, out of the message.
            AuthenticationFailedException =>
                new StoreUnavailableException(TableLimits.StoreName, $"{what} failed: the app's identity got no token for the store ({e.GetType().Name}).", null, e),
            _ => null,
        };
    }

    private static TimeSpan? RetryAfter(RequestFailedException e) =>
        e.GetRawResponse() is { } response && response.Headers.TryGetValue("Retry-After", out var value)
            && int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds) : null;

    private static string Range(string prefix) =>
        TableKeys.UpperBound(TableKeys.Escape(prefix)) is { } upper
            ? TableClient.CreateQueryFilter($"(RowKey ge {TableKeys.Escape(prefix)} and RowKey lt {upper})")
            : TableClient.CreateQueryFilter($"(RowKey ge {TableKeys.Escape(prefix)})");

    private static TableEntity Entity(string pk, string id, string body) => new(pk, TableKeys.Escape(id)) { ["Body"] = body };

    private static StoredDocument ToDocument(TableEntity e) =>
        new(TableKeys.Unescape(e.RowKey), e.GetString("Body") ?? "{}", e.ETag.ToString());

    private static ConflictKind? ConflictOf(int status, string? errorCode) => status switch
    {
        412 => ConflictKind.PreconditionFailed,
        409 when errorCode is "EntityAlreadyExists" or null => ConflictKind.AlreadyExists,
        404 when errorCode != TableNotFound => ConflictKind.NotFound, // a missing table is no lost race (StoreFailure)
        _ => null,
    };

    private const string TableNotFound = "TableNotFound";

    private static StoreMisconfiguredException Misconfigured(string operation, Collection collection) =>
        new(TableLimits.StoreName, $"Table {operation} on {collection}: the table does not exist (check the store's settings and its setup step).");

    /// <summary>The service's own refusal of a request's size (the estimate below missed it): the commit path cuts the batch.</summary>
    private static TransactionTooLargeException TooLarge(RequestFailedException e) =>
        new($"{TableLimits.StoreName} refused the commit as too large (HTTP 413 {e.ErrorCode}).");

    /// <summary>
    /// At most what a string takes in the request's JSON, never less than its UTF-16 size (the estimate before): the SDK
    /// writes a character outside printable ASCII, and the few HTML-sensitive ones, as a \uXXXX escape (6 bytes; a UTF-16
    /// surrogate pair is two).
    /// </summary>
    private static long WireBytes(string value)
    {
        long bytes = 0;
        foreach (var c in value) bytes += c is >= ' ' and <= '~' && c is not ('"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`') ? 2 : 6;
        return bytes;
    }

    private static void CheckLimits(IReadOnlyList<DocumentWrite> writes)
    {
        if (writes.Count > TableLimits.MaxWritesPerCommit)
            throw new TransactionTooLargeException($"{writes.Count} writes in one commit; {TableLimits.StoreName} allows {TableLimits.MaxWritesPerCommit} actions per transaction.");
        StoreKeys.RefuseDuplicates(writes);
        long total = 0;
        foreach (var w in writes)
        {
            var body = w switch { DocumentWrite.Create c => c.Body, DocumentWrite.Replace r => r.Body, DocumentWrite.Upsert u => u.Body, _ => "" };
            var bytes = body.Length * 2L; // Table stores strings as UTF-16
            if (bytes > TableLimits.MaxDocumentBytes)
                throw new TransactionTooLargeException($"Document '{w.Id}' is {bytes} bytes; {TableLimits.StoreName} allows {TableLimits.MaxDocumentBytes} bytes per string property.");
            total += WireBytes(body) + WireBytes(w.Id) + 1024; // the limit is the request's: JSON, keys, headers
        }
        if (total > TableLimits.MaxCommitBytes)
            throw new TransactionTooLargeException($"Commit of about {total} bytes; {TableLimits.StoreName} allows {TableLimits.MaxCommitBytes} bytes per transaction.");
    }
}
