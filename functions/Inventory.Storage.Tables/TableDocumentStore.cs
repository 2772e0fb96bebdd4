using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;

namespace Inventory.Storage.Tables;

/// <summary>
/// The storage port on Azure Table Storage (and Azurite). A partition maps to a PartitionKey, a document to a row whose
/// RowKey is its id and whose Body property holds its JSON. A commit is one entity group transaction: Add for creates,
/// UpdateReplace and Delete with the ETag read, so the service applies all of it or none.
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

    /// <summary>The Table service allows at most 15 comparisons in one $filter (PartitionKey takes one of them).</summary>
    public const int MaxComparisonsPerFilter = 15;

    public async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        var queries = ReadFilters(partition, ids, idPrefixes).Select(async filter =>
        {
            var found = new List<StoredDocument>();
            await foreach (var entity in Table(collection).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                found.Add(ToDocument(entity));
            return found;
        });
        try
        {
            return (await Task.WhenAll(queries)).SelectMany(d => d).DistinctBy(d => d.Id).ToArray();
        }
        catch (Exception e) when (StoreFailure(e, "read", collection, cancellationToken) is { } failure) { throw failure; }
    }

    /// <summary>
    /// The filters that read these ids and prefixes of one partition: as few as possible, each within the service's
    /// limit of comparisons (an id costs one, a prefix two). Usually one; a coalesced batch naming many orders needs several.
    /// </summary>
    public static IReadOnlyList<string> ReadFilters(string partition, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> idPrefixes)
    {
        var pk = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(partition)}");
        var clauses = idPrefixes.Select(p => (Filter: Range(p), Cost: 2))
            .Concat(ids.Distinct(StringComparer.Ordinal).Select(id => (Filter: TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Escape(id)}"), Cost: 1)));
        var filters = new List<string>();
        var group = new List<string>();
        var cost = 1;
        foreach (var (filter, clauseCost) in clauses)
        {
            if (cost + clauseCost > MaxComparisonsPerFilter) { filters.Add(Combine(pk, group)); group = []; cost = 1; }
            group.Add(filter);
            cost += clauseCost;
        }
        if (group.Count > 0) filters.Add(Combine(pk, group));
        return filters;
    }

    private static string Combine(string pk, List<string> clauses) => pk + " and (" + string.Join(" or ", clauses) + ")";

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (writes.Count == 0) return;
        CheckLimits(writes);
        var pk = TableKeys.Escape(partition);
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
        catch (Exception e) when (StoreFailure(e, "commit", collection, cancellationToken) is { } failure) { throw failure; }
    }

    public async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(partition)}") + " and " + Range(idPrefix);
        var scope = $"q|{collection}|{filter}";
        try
        {
            await foreach (var page in Table(collection).QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken)
                .AsPages(TablePageTokens.Decode(continuationToken, scope), pageSize))
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
    /// throttling, any other refusal, a network failure or a timeout is unavailability. Null for what is not the store's
    /// (a cancellation the caller asked for, a bug), which then propagates as it is.
    /// </summary>
    public static StoreFailureException? StoreFailure(Exception e, string operation, Collection collection, CancellationToken cancellationToken)
    {
        var what = $"Table {operation} on {collection}";
        return e switch
        {
            StoreFailureException or CommitConflictException or InvalidContinuationTokenException => null,
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
            _ => null,
        };
    }

    private static TimeSpan? RetryAfter(RequestFailedException e) =>
        e.GetRawResponse() is { } response && response.Headers.TryGetValue("Retry-After", out var value)
            && int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds) : null;

    private static string Range(string prefix) =>
        TableClient.CreateQueryFilter($"(RowKey ge {TableKeys.Escape(prefix)} and RowKey lt {TableKeys.UpperBound(TableKeys.Escape(prefix))})");

    private static TableEntity Entity(string pk, string id, string body) => new(pk, TableKeys.Escape(id)) { ["Body"] = body };

    private static StoredDocument ToDocument(TableEntity e) =>
        new(TableKeys.Unescape(e.RowKey), e.GetString("Body") ?? "{}", e.ETag.ToString());

    private static ConflictKind? ConflictOf(int status, string? errorCode) => status switch
    {
        412 => ConflictKind.PreconditionFailed,
        409 when errorCode is "EntityAlreadyExists" or null => ConflictKind.AlreadyExists,
        404 => ConflictKind.NotFound,
        _ => null,
    };

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
            total += bytes + 1024;
        }
        if (total > TableLimits.MaxCommitBytes)
            throw new TransactionTooLargeException($"Commit of about {total} bytes; {TableLimits.StoreName} allows {TableLimits.MaxCommitBytes} bytes per transaction.");
    }
}
