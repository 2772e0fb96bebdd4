using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>
/// Table Storage's only index is (PartitionKey, RowKey): a filter that ORs RowKeys is served as a scan of the whole
/// partition, so a product read would examine the product's whole ledger. A read must go out as point reads (one per id)
/// and one range query per prefix, and still return exactly what it named, however many ids (a coalesced batch of many
/// orders once needed several OR'd filters to stay within the service's 15 comparisons).
/// </summary>
public class TableReadTests : IAsyncLifetime
{
    private readonly RecordedRequests requests = new();
    private TableDocumentStore store = null!;

    public async Task InitializeAsync()
    {
        var created = await AzuriteTables.CreateStoreAsync();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(requests, HttpPipelinePosition.PerCall);
        store = new TableDocumentStore(new TableServiceClient(AzuriteTables.ConnectionString, clientOptions),
            new TableStoreOptions { TableConnectionString = AzuriteTables.ConnectionString, TablePrefix = created.TableName(Collection.Products)[..^"products".Length] });
    }

    public Task DisposeAsync() => AzuriteTables.DropAsync(store);

    [Fact]
    public void The_plan_is_a_point_read_per_id_and_one_range_per_prefix()
    {
        var (points, ranges) = TableDocumentStore.ReadPlan("p", ["product", "head", "bal|A", "res|o1", "head"], ["bal|"]);
        Assert.Equal(["product", "head", "res|o1"], points); // bal|A comes back from the bal| range; head once
        var range = Assert.Single(ranges);
        Assert.Equal("PartitionKey eq 'p' and (RowKey ge 'bal|' and RowKey lt 'bal}')", range);
        Assert.DoesNotContain(" or ", range, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_products_transactions_read_its_product_and_head_once_each()
    {
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("tp");
        await s.StockAsync("tp", "L1", 5);
        requests.Clear();

        var page = await s.App.Stock.GetLedgerAsync("tp", 10);

        Assert.Single(page.Entries);
        var sent = requests.Uris.Select(Uri.UnescapeDataString).ToArray();
        Assert.Single(sent, u => u.Contains("RowKey='product'", StringComparison.Ordinal)); // a guarded read took product, head, product again
        // The state is its newest ledger document's (the one this instance saw, and the next one's, absent): the head, no
        // longer written, is not read.
        Assert.DoesNotContain(sent, u => u.Contains("RowKey='head'", StringComparison.Ordinal));
        Assert.Contains(sent, u => u.Contains("RowKey='led|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_commit_of_one_write_is_the_entitys_own_request_and_of_more_one_transaction()
    {
        await store.CommitAsync(Collection.Orders, "o1", [new DocumentWrite.Create("order", "{}")]);
        Assert.DoesNotContain(requests.Uris, u => u.Contains("$batch", StringComparison.Ordinal)); // a claim: Azurite parses no multipart body
        Assert.Single(requests.Uris);
        requests.Clear();

        await store.CommitAsync(Collection.Orders, "o2", [new DocumentWrite.Create("order", "{}"), new DocumentWrite.Create("intent|k", "{}")]);
        Assert.Contains("$batch", Assert.Single(requests.Uris), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_sends_point_reads_and_prefix_ranges_and_never_touches_the_ledger()
    {
        var ledger = Enumerable.Range(0, 90).Select(i => $"led|{i:D19}").ToArray();
        await store.CommitAsync(Collection.Products, "p1", ledger.Concat(["product", "head", "bal|A", "bal|B", "res|o1"])
            .Select(id => (DocumentWrite)new DocumentWrite.Create(id, $"{{\"id\":\"{id}\"}}")).ToArray());
        requests.Clear();

        var found = await store.ReadAsync(Collection.Products, "p1", ["product", "head", "res|o1", "res|missing"], ["bal|"]);

        Assert.Equal(["bal|A", "bal|B", "head", "product", "res|o1"], found.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(found, d => Assert.Equal($"{{\"id\":\"{d.Id}\"}}", d.Body));
        var sent = requests.Uris.ToArray();
        Assert.Equal(6, sent.Length); // four point reads, one range, the first id again (TableTornReadTests)
        Assert.Equal(5, sent.Count(u => u.Contains("(PartitionKey='p1',RowKey=", StringComparison.Ordinal)));
        var query = Uri.UnescapeDataString(Assert.Single(sent, u => u.Contains("$filter", StringComparison.Ordinal)));
        Assert.Contains("PartitionKey eq 'p1' and (RowKey ge 'bal|' and RowKey lt 'bal}')", query, StringComparison.Ordinal);
        Assert.DoesNotContain(" or ", query, StringComparison.Ordinal);
        Assert.Equal(6, requests.EntitiesReturned); // 3 found by id (res|missing is a 404), product again, the 2 balances: none of the 90 entries
    }

    [Fact]
    public async Task A_read_of_forty_ids_and_a_prefix_returns_every_document_once()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"res|o{i:D2}").ToArray();
        await store.CommitAsync(Collection.Products, "p1", ids.Append("bal|A").Append("bal|B")
            .Select(id => (DocumentWrite)new DocumentWrite.Create(id, "{}")).ToArray());
        var found = await store.ReadAsync(Collection.Products, "p1", ids.Append("res|missing").Append("bal|A").ToArray(), ["bal|"]);
        Assert.Equal(ids.Append("bal|A").Append("bal|B").Order(StringComparer.Ordinal), found.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    private static readonly string[] Seeded = ["head", "product", "res|o1", "bal|A"];

    [Fact]
    public async Task The_first_id_is_read_before_anything_else()
    {
        // A product's head is read first and again last: a commit between the requests changes it, so a torn read is read
        // again, never handed out (a reservation moving from res| to rsc| between two parallel point reads would look absent).
        await store.CommitAsync(Collection.Products, "p1", Seeded.Select(id => (DocumentWrite)new DocumentWrite.Create(id, "{}")).ToArray());
        for (var run = 0; run < 5; run++)
        {
            requests.Clear();
            await store.ReadAsync(Collection.Products, "p1", ["head", "product", "res|o1", "rsc|o1"], ["bal|"]);
            var events = requests.Events.ToArray();
            Assert.Equal(12, events.Length);
            Assert.Equal((true, true), (events[0].Start, events[0].Uri.Contains("RowKey='head'", StringComparison.Ordinal)));
            Assert.Equal((false, events[0].Uri), (events[1].Start, events[1].Uri)); // answered before any other was sent
            // and read again once every other one was answered: unchanged, the rest is as of the first read
            Assert.Equal((true, events[0].Uri), (events[^2].Start, events[^2].Uri));
            Assert.Equal((false, events[0].Uri), (events[^1].Start, events[^1].Uri));
        }
    }

    [Fact]
    public async Task A_missing_partition_reads_nothing()
    {
        Assert.Empty(await store.ReadAsync(Collection.Products, "nobody", ["product", "head"], ["bal|"]));
    }

    /// <summary>Records every request's URI and counts the entities the service returned.</summary>
    private sealed class RecordedRequests : HttpPipelinePolicy
    {
        private readonly ConcurrentQueue<string> uris = new();
        private readonly ConcurrentQueue<(bool Start, string Uri)> events = new();
        private int entities;

        public IEnumerable<string> Uris => uris;
        /// <summary>Each request's sending and its answer, in the order they happened.</summary>
        public IEnumerable<(bool Start, string Uri)> Events => events;
        public int EntitiesReturned => entities;

        public void Clear() { uris.Clear(); events.Clear(); entities = 0; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            uris.Enqueue(message.Request.Uri.ToString());
            events.Enqueue((true, message.Request.Uri.ToString()));
            await ProcessNextAsync(message, pipeline);
            events.Enqueue((false, message.Request.Uri.ToString()));
            if (message.Response.Status != 200 || message.Response.Content is null) return;
            using var json = System.Text.Json.JsonDocument.Parse(message.Response.Content.ToMemory());
            Interlocked.Add(ref entities, json.RootElement.TryGetProperty("value", out var rows) ? rows.GetArrayLength() : 1);
        }
    }
}
