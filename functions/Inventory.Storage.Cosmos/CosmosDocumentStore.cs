using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// The storage port on Azure Cosmos DB (NoSQL). A collection is a container (<see cref="CosmosLayout"/>), a partition a
/// logical partition, a document an item. A commit is one transactional batch on the partition: creates for documents
/// that must not exist, replaces and deletes conditioned on the ETag read, so the service applies all of it or none.
/// Items travel as streams of System.Text.Json, so their property names are the documents' own.
/// </summary>
public sealed partial class CosmosDocumentStore : IDocumentStore, IDisposable
{
    /// <summary>Cosmos DB: 100 operations and 2 MB per transactional batch, 2 MB per item, 20 GB per logical partition.</summary>
    public static readonly StoreLimits CosmosLimits = new(100, 2 * 1024 * 1024, 2 * 1024 * 1024, "Azure Cosmos DB", MaxPartitionBytes: 20L * 1024 * 1024 * 1024);

    private readonly CosmosClient client;
    private readonly CosmosClient interactiveClient;
    private readonly CosmosStoreOptions options;
    private readonly ILogger logger;
    private readonly bool ownsClient;
    private readonly ConcurrentDictionary<Collection, Container> containers = new();
    private readonly ConcurrentDictionary<Collection, Container> interactiveContainers = new();

    /// <param name="client">The patient client (queue and timer work).</param>
    /// <param name="interactiveClient">The fail-fast client for HTTP callers (<see cref="CosmosPatience"/>); null: <paramref name="client"/>.</param>
    public CosmosDocumentStore(CosmosClient client, CosmosStoreOptions options, ILogger<CosmosDocumentStore>? logger = null,
        CosmosClient? interactiveClient = null)
        : this(client, interactiveClient ?? client, options, logger, ownsClient: false) { }

    private CosmosDocumentStore(CosmosClient client, CosmosClient interactiveClient, CosmosStoreOptions options, ILogger? logger, bool ownsClient)
    {
        if (string.IsNullOrWhiteSpace(options.DatabaseName)) throw new ArgumentException("Cosmos:DatabaseName is required.", nameof(options));
        this.client = client;
        this.interactiveClient = interactiveClient;
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        this.ownsClient = ownsClient;
    }

    /// <summary>
    /// The store and the two <see cref="CosmosClient"/>s it owns, patient and fail-fast (they differ only in rate-limit
    /// retries, which the SDK fixes per client): register the store as a singleton.
    /// </summary>
    public static CosmosDocumentStore Create(CosmosStoreOptions options, ILoggerFactory? loggers = null) =>
        new(CreateClient(options), CreateClient(options, interactive: true), options, loggers?.CreateLogger<CosmosDocumentStore>(), ownsClient: true);

    /// <summary>
    /// A client by connection string (emulator, key) or by account endpoint with DefaultAzureCredential (managed identity).
    /// Interactive: few, short rate-limit retries (<see cref="CosmosStoreOptions.InteractiveRateLimitRetries"/>); otherwise
    /// the SDK's defaults (9 retries within 30 s).
    /// </summary>
    public static CosmosClient CreateClient(CosmosStoreOptions options, bool interactive = false)
    {
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = interactive ? "inventory-http" : "inventory",
            ConnectionMode = options.EffectiveConnectionMode,
            ConsistencyLevel = options.ConsistencyLevel,
            // Items travel as streams; the serializer only writes query parameters (strings and numbers).
            UseSystemTextJsonSerializerWithOptions = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web),
            EnableContentResponseOnWrite = false,
        };
        clientOptions.MaxRetryAttemptsOnRateLimitedRequests = interactive ? options.InteractiveRateLimitRetries : 9;
        clientOptions.MaxRetryWaitTimeOnRateLimitedRequests = interactive ? options.InteractiveRateLimitWait : TimeSpan.FromSeconds(30);
        if (options.ConnectionString is { Length: > 0 } cs)
        {
            // Local (emulator in Docker): talk to the endpoint given, not the addresses the emulator advertises.
            clientOptions.LimitToEndpoint = true;
            return new CosmosClient(cs, clientOptions);
        }
        if (options.AccountEndpoint is { Length: > 0 } endpoint) return new CosmosClient(endpoint, new DefaultAzureCredential(), clientOptions);
        throw new InvalidOperationException("Set Cosmos:ConnectionString (emulator) or Cosmos:AccountEndpoint (managed identity).");
    }

    public StoreLimits Limits => CosmosLimits;

    public CosmosStoreOptions Options => options;

    /// <summary>The one client of this store (for operators and tests; the store owns it when made by <see cref="Create"/>).</summary>
    public CosmosClient Client => client;

    /// <summary>The container through the client that suits the caller's patience (<see cref="CosmosPatience"/>).</summary>
    private Container Container(Collection collection) => CosmosPatience.IsInteractive
        ? interactiveContainers.GetOrAdd(collection, c => interactiveClient.GetContainer(options.DatabaseName, CosmosLayout.For(c).Name))
        : containers.GetOrAdd(collection, c => client.GetContainer(options.DatabaseName, CosmosLayout.For(c).Name));

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default) =>
        Guarded("read", collection, () => ReadCoreAsync(collection, partition, ids, idPrefixes, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<StoredDocument>> ReadCoreAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken)
    {
        if (ids.Count == 0 && idPrefixes.Count == 0) return [];
        if (ids.Count == 1 && idPrefixes.Count == 0) return await PointReadAsync(collection, partition, ids.First(), cancellationToken);

        List<string> terms = ids.Count == 0 ? [] : [$"c.id IN ({string.Join(", ", ids.Select((_, i) => $"@id{i}"))})"];
        terms.AddRange(idPrefixes.Select((_, i) => $"STARTSWITH(c.id, @prefix{i})"));
        var query = new QueryDefinition("SELECT * FROM c WHERE " + string.Join(" OR ", terms));
        var index = 0;
        foreach (var id in ids) query.WithParameter($"@id{index++}", CosmosItems.ItemId(id));
        index = 0;
        foreach (var prefix in idPrefixes) query.WithParameter($"@prefix{index++}", CosmosItems.ItemId(prefix));
        for (var attempt = 1; ; attempt++)
        {
            var (items, pages) = await QueryPagesAsync("read", collection, partition, query, maxItemCount: -1, cancellationToken);
            var docs = items.Select(CosmosItems.FromItem).ToArray();
            // One page is one moment of the partition; pages are requests of their own, and a commit may land between two
            // (the old head beside the new reservation). As the Table store does: the first id (a head every commit
            // replaces) is read again, and the whole read made again while it moved.
            if (pages <= 1 || ids.Count == 0) return docs;
            var guard = ids.First();
            var again = await PointReadAsync(collection, partition, guard, cancellationToken);
            if ((again.Count > 0 ? again[0].ETag : null) == docs.FirstOrDefault(d => d.Id == guard)?.ETag) return docs;
            if (attempt == MaxTornReads)
                throw new StoreUnavailableException(CosmosLimits.StoreName, $"A read of '{partition}' was torn by commits {attempt} times in a row.");
        }
    }

    /// <summary>Reads of several pages made again because a commit moved their first id meanwhile, before giving up.</summary>
    private const int MaxTornReads = 5;

    /// <summary>One id: a point read, the cheapest call Cosmos has (1 RU for 1 KB).</summary>
    private async Task<IReadOnlyList<StoredDocument>> PointReadAsync(Collection collection, string partition, string id, CancellationToken ct)
    {
        using var response = await Container(collection).ReadItemStreamAsync(CosmosItems.ItemId(id), new PartitionKey(partition), cancellationToken: ct);
        Charge("point-read", collection, partition, response.Headers?.RequestCharge ?? 0);
        if (IsMissingItem(response)) return [];
        ThrowIfFailed(response, "point read", collection);
        using var item = await JsonDocument.ParseAsync(response.Content, cancellationToken: ct);
        return [CosmosItems.FromItem(item.RootElement)];
    }

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        Guarded("query", collection, () => QueryCoreAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken), cancellationToken);

    private async Task<DocumentPage> QueryCoreAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var prefix = CosmosItems.ItemId(idPrefix);
        var scope = PageTokens.Scope(collection, partition, idPrefix);
        var after = QueryPosition.TryAfter(continuationToken, out var afterId) ? CosmosItems.ItemId(afterId) : PageTokens.Decode(continuationToken, scope, prefix);
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE STARTSWITH(c.id, @prefix)"
                + (after is null ? "" : " AND c.id > @after") + " ORDER BY c.id ASC")
            .WithParameter("@take", pageSize + 1).WithParameter("@prefix", prefix);
        if (after is not null) query.WithParameter("@after", after);
        var items = await QueryItemsAsync("query", collection, partition, query, pageSize + 1, cancellationToken);
        var page = items.Take(pageSize).Select(i => (Item: i, Id: i.GetProperty("id").GetString()!)).ToArray();
        return new DocumentPage(page.Select(p => CosmosItems.FromItem(p.Item)).ToArray(),
            items.Count > pageSize ? PageTokens.Encode(page[^1].Id, scope) : null);
    }

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        Guarded("list-partitions", collection, () => ListPartitionsCoreAsync(collection, documentId, pageSize, continuationToken, cancellationToken), cancellationToken);

    private async Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsCoreAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var key = $"c[\"{CosmosLayout.For(collection).PartitionKeyProperty}\"]";
        var scope = PageTokens.Scope(collection, "*", documentId);
        var after = PageTokens.Decode(continuationToken, scope);
        var query = new QueryDefinition($"SELECT TOP @take {key} AS p FROM c WHERE c.id = @id"
                + (after is null ? "" : $" AND {key} > @after") + $" ORDER BY {key} ASC")
            .WithParameter("@take", pageSize + 1).WithParameter("@id", CosmosItems.ItemId(documentId));
        if (after is not null) query.WithParameter("@after", after);
        var items = await QueryItemsAsync("list-partitions", collection, null, query, pageSize + 1, cancellationToken);
        var partitions = items.Take(pageSize).Select(i => i.GetProperty("p").GetString()!).ToArray();
        return (partitions, items.Count > pageSize ? PageTokens.Encode(partitions[^1], scope) : null);
    }

    public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        Guarded("query-across", collection, () => QueryAcrossPartitionsCoreAsync(collection, documentId, pageSize, continuationToken, cancellationToken), cancellationToken);

    private async Task<PartitionDocumentPage> QueryAcrossPartitionsCoreAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var property = CosmosLayout.For(collection).PartitionKeyProperty;
        var key = $"c[\"{property}\"]";
        var scope = PageTokens.Scope(collection, "**", documentId);
        var after = PageTokens.Decode(continuationToken, scope);
        var query = new QueryDefinition($"SELECT TOP @take * FROM c WHERE c.id = @id"
                + (after is null ? "" : $" AND {key} > @after") + $" ORDER BY {key} ASC")
            .WithParameter("@take", pageSize + 1).WithParameter("@id", CosmosItems.ItemId(documentId));
        if (after is not null) query.WithParameter("@after", after);
        var items = await QueryItemsAsync("query-across", collection, null, query, pageSize + 1, cancellationToken);
        var page = items.Take(pageSize).Select(i => new PartitionDocument(i.GetProperty(property).GetString()!, CosmosItems.FromItem(i))).ToArray();
        return new PartitionDocumentPage(page, items.Count > pageSize ? PageTokens.Encode(page[^1].Partition, scope) : null);
    }

    /// <summary>The id the health probe reads; no document ever has it (ids of the products container all contain '|' or are words of the layout).</summary>
    public const string ProbeId = "health-probe";

    /// <summary>
    /// A point read of <see cref="ProbeId"/> in the products container: 404 with sub-status 0 (no such item) proves the
    /// account, database and container answer, for 1 RU and on the data plane (reading the container's definition is a
    /// metadata call with its own, low limits). 404 with another sub-status is <see cref="StoreMisconfiguredException"/>.
    /// </summary>
    public Task PingAsync(CancellationToken cancellationToken = default) => Guarded("ping", Collection.Products, async () =>
    {
        using var response = await Container(Collection.Products).ReadItemStreamAsync(ProbeId, new PartitionKey(ProbeId), cancellationToken: cancellationToken);
        Charge("ping", Collection.Products, null, response.Headers?.RequestCharge ?? 0);
        if (!IsMissingItem(response)) ThrowIfFailed(response, "ping (point read)", Collection.Products);
        return true;
    }, cancellationToken);

    /// <summary>404 with sub-status 0: the item does not exist. A 404 with a sub-status (1003) means its container or database does not.</summary>
    private static bool IsMissingItem(ResponseMessage response) => response.StatusCode == HttpStatusCode.NotFound && SubStatus(response) == 0;

    /// <summary>Runs a query to its end (the caller bounds it with TOP where it pages), within one partition or across all.</summary>
    private async Task<List<JsonElement>> QueryItemsAsync(string operation, Collection collection, string? partition, QueryDefinition query,
        int? maxItemCount, CancellationToken ct) =>
        (await QueryPagesAsync(operation, collection, partition, query, maxItemCount, ct)).Items;

    /// <summary><see cref="QueryItemsAsync"/>, with how many pages (requests) the service answered it in.</summary>
    private async Task<(List<JsonElement> Items, int Pages)> QueryPagesAsync(string operation, Collection collection, string? partition, QueryDefinition query,
        int? maxItemCount, CancellationToken ct)
    {
        var pages = 0;
        var requestOptions = new QueryRequestOptions { MaxItemCount = maxItemCount };
        if (partition is not null) requestOptions.PartitionKey = new PartitionKey(partition);
        var items = new List<JsonElement>();
        using var iterator = Container(collection).GetItemQueryStreamIterator(query, continuationToken: null, requestOptions);
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(ct);
            pages++;
            Charge(operation, collection, partition, response.Headers?.RequestCharge ?? 0);
            ThrowIfFailed(response, operation, collection);
            if (response.Content is null) continue;
            using var page = await JsonDocument.ParseAsync(response.Content, cancellationToken: ct);
            items.AddRange(page.RootElement.GetProperty("Documents").EnumerateArray().Select(e => e.Clone()));
        }
        return (items, pages);
    }

    private void Charge(string operation, Collection collection, string? partition, double charge) =>
        RequestCharges.Record(logger, operation, collection.ToString(), partition, charge);

    public void Dispose()
    {
        if (!ownsClient) return;
        client.Dispose();
        if (!ReferenceEquals(interactiveClient, client)) interactiveClient.Dispose();
    }
}
