using System.Net;
using System.Text;
using Inventory.Domain;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>Reads are one query within the partition (or a point read for one id); pages go by id with tokens of the store's own.</summary>
public class ReadAndQueryTests
{
    private static string Item(string id, string body = """{"n":1""") =>
        CosmosFakes.Stored(body + $",\"id\":\"{id}\",\"productId\":\"P1\",\"docType\":\"x\",\"storeAdded\":[\"id\",\"productId\"]}}", $"\"etag-{id}\"");

    [Fact]
    public async Task Ids_and_prefixes_are_read_in_one_query_on_the_partition()
    {
        var fakes = new CosmosFakes();
        fakes.QueryPages.Enqueue([CosmosFakes.Page(1.5, Item("product")), CosmosFakes.Page(1.4, Item("bal|L1"))]);
        // Two pages: the first id is read again (not moved: the read stands, TornReadAcrossQueryPagesTests).
        fakes.Container.Setup(c => c.ReadItemStreamAsync("product", new PartitionKey("P1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new ResponseMessage(HttpStatusCode.OK) { Content = new MemoryStream(Encoding.UTF8.GetBytes(Item("product"))) });

        var docs = await fakes.Store().ReadAsync(Collection.Products, "P1", ["product", "head"], ["bal|", "res|a/b"]);

        var (query, options) = Assert.Single(fakes.Queries);
        Assert.Equal("SELECT * FROM c WHERE c.id IN (@id0, @id1) OR STARTSWITH(c.id, @prefix0) OR STARTSWITH(c.id, @prefix1)", query.QueryText);
        Assert.Equal(["product", "head", "bal|", "res|a%2Fb"], query.GetQueryParameters().Select(p => (string)p.Value));
        Assert.Equal(new PartitionKey("P1"), options!.PartitionKey);
        Assert.Equal(["product", "bal|L1"], docs.Select(d => d.Id));
        Assert.Equal("""{"n":1}""", docs[0].Body);
        Assert.Equal("\"etag-product\"", docs[0].ETag);
    }

    [Fact]
    public async Task One_id_is_a_point_read_and_a_missing_one_reads_as_nothing()
    {
        var fakes = new CosmosFakes();
        fakes.Container.Setup(c => c.ReadItemStreamAsync("product", new PartitionKey("P1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ResponseMessage(HttpStatusCode.OK) { Content = new MemoryStream(Encoding.UTF8.GetBytes(Item("product"))) });
        fakes.Container.Setup(c => c.ReadItemStreamAsync("head", new PartitionKey("P1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ResponseMessage(HttpStatusCode.NotFound));
        var store = fakes.Store();

        var found = Assert.Single(await store.ReadAsync(Collection.Products, "P1", ["product"], []));
        Assert.Empty(await store.ReadAsync(Collection.Products, "P1", ["head"], []));

        Assert.Equal(("product", """{"n":1}"""), (found.Id, found.Body));
        Assert.Empty(fakes.Queries);
    }

    [Fact]
    public async Task A_page_ends_with_a_token_that_resumes_after_its_last_id()
    {
        var fakes = new CosmosFakes();
        fakes.QueryPages.Enqueue([CosmosFakes.Page(3, Item("led|1"), Item("led|2"), Item("led|3"))]);
        fakes.QueryPages.Enqueue([CosmosFakes.Page(3, Item("led|3"))]);
        var store = fakes.Store();

        var first = await store.QueryAsync(Collection.Products, "P1", "led|", 2, null);
        var second = await store.QueryAsync(Collection.Products, "P1", "led|", 2, first.ContinuationToken);

        Assert.Equal(["led|1", "led|2"], first.Documents.Select(d => d.Id));
        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(["led|3"], second.Documents.Select(d => d.Id));
        Assert.Null(second.ContinuationToken);
        Assert.Contains("ORDER BY c.id ASC", fakes.Queries[0].Query.QueryText, StringComparison.Ordinal);
        Assert.Equal(("@after", (object)"led|2"), fakes.Queries[1].Query.GetQueryParameters().Single(p => p.Name == "@after"));
        Assert.Equal(3, fakes.Queries[0].Options!.MaxItemCount);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("e30")] // base64url of "{}": not a token of this store
    public async Task A_token_this_store_did_not_issue_is_refused_as_such(string token)
    {
        var fakes = new CosmosFakes();

        // The port's error, not a domain one: StockQueries turns it into a validation error of continuationToken (LedgerTokenTests).
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => fakes.Store().QueryAsync(Collection.Products, "P1", "led|", 10, token));

        Assert.Empty(fakes.Queries);
    }

    [Fact]
    public async Task A_token_for_another_prefix_is_refused()
    {
        var fakes = new CosmosFakes();
        fakes.QueryPages.Enqueue([CosmosFakes.Page(3, Item("bal|1"), Item("bal|2"))]);
        var token = (await fakes.Store().QueryAsync(Collection.Products, "P1", "bal|", 1, null)).ContinuationToken;

        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => fakes.Store().QueryAsync(Collection.Products, "P1", "led|", 1, token));
    }

    [Fact]
    public async Task Partitions_are_listed_across_the_container_ordered_by_the_partition_key()
    {
        var fakes = new CosmosFakes();
        fakes.QueryPages.Enqueue([CosmosFakes.Page(4, """{"p":"W1"}""", """{"p":"W2"}""")]);

        var (partitions, token) = await fakes.Store().ListPartitionsAsync(Collection.Warehouses, "warehouse", 1, null);

        var (query, options) = Assert.Single(fakes.Queries);
        Assert.Equal("SELECT TOP @take c[\"warehouseId\"] AS p FROM c WHERE c.id = @id ORDER BY c[\"warehouseId\"] ASC", query.QueryText);
        Assert.Null(options!.PartitionKey);
        Assert.Equal(["W1"], partitions);
        Assert.NotNull(token);
    }

    [Fact]
    public async Task Documents_of_one_id_are_queried_across_partitions_with_their_partition_and_a_keyset_token()
    {
        var fakes = new CosmosFakes();
        fakes.QueryPages.Enqueue([CosmosFakes.Page(5,
            CosmosFakes.Stored("""{"poId":"PO-1","status":"Draft","id":"po","storeAdded":["id"]}"""),
            CosmosFakes.Stored("""{"poId":"PO-2","id":"po","storeAdded":["id"]}"""))]);

        var page = await fakes.Store().QueryAcrossPartitionsAsync(Collection.PurchaseOrders, "po", 1, null);

        var (query, options) = Assert.Single(fakes.Queries);
        Assert.Equal("SELECT TOP @take * FROM c WHERE c.id = @id ORDER BY c[\"poId\"] ASC", query.QueryText);
        Assert.Null(options!.PartitionKey);
        var found = Assert.Single(page.Documents);
        Assert.Equal(("PO-1", "po"), (found.Partition, found.Document.Id));
        Assert.DoesNotContain("storeAdded", found.Document.Body, StringComparison.Ordinal);
        Assert.NotNull(page.ContinuationToken);

        fakes.QueryPages.Enqueue([CosmosFakes.Page(5)]);
        await fakes.Store().QueryAcrossPartitionsAsync(Collection.PurchaseOrders, "po", 1, page.ContinuationToken);
        Assert.Contains("AND c[\"poId\"] > @after", fakes.Queries[1].Query.QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_query_page_throws_with_its_status()
    {
        var fakes = new CosmosFakes();
        fakes.QueryPages.Enqueue([new ResponseMessage(HttpStatusCode.ServiceUnavailable, null, "down")]);

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => fakes.Store().ReadAsync(Collection.Products, "P1", ["a", "b"], []));

        Assert.Equal((int)HttpStatusCode.ServiceUnavailable, e.Status);
        Assert.Equal("Azure Cosmos DB", e.Store);
    }
}
