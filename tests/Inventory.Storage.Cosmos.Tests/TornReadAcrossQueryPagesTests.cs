using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// Found in review: the port promises a read that never hands out a state torn by a commit; the Cosmos store reads ids
/// and prefixes with one query and takes it as one moment, but runs the query to its end over as many pages as the
/// service gives (<c>QueryItemsAsync</c>, MaxItemCount unset: 100 items or 4 MB a page), and each page is its own
/// request with no snapshot between them. A product with more than a page of documents (many open reservations under
/// <c>res|</c>, many <c>bal|</c>) read while a commit lands between two pages gets the old head beside the new
/// reservation (the torn state the Table store's guard exists for). Here the fake service answers the first query
/// with the head before the commit on page 1 and the commit's new reservation on page 2; every later request sees the
/// state after the commit.
/// </summary>
public class TornReadAcrossQueryPagesTests
{
    private static string Item(string id, string etag) =>
        CosmosFakes.Stored($$"""{"n":1,"id":"{{id}}","productId":"P1","docType":"x","storeAdded":["id","productId"]}""", etag);

    [Fact]
    public async Task A_read_spanning_query_pages_is_not_torn_by_a_commit_between_them()
    {
        var fakes = new CosmosFakes();
        // First query: page 1 before the commit (head v1, balance v1), page 2 after it (the reservation it created).
        fakes.QueryPages.Enqueue([CosmosFakes.Page(2, Item("head", "\"h1\""), Item("bal|A", "\"b1\"")), CosmosFakes.Page(2, Item("res|o1", "\"r2\""))]);
        // Any later query: the state after the commit, in one page.
        for (var i = 0; i < 5; i++)
            fakes.QueryPages.Enqueue([CosmosFakes.Page(3, Item("head", "\"h2\""), Item("bal|A", "\"b2\""), Item("res|o1", "\"r2\""))]);
        fakes.Container.Setup(c => c.ReadItemStreamAsync(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, PartitionKey _, ItemRequestOptions _, CancellationToken _) => id == "head"
                ? new ResponseMessage(HttpStatusCode.OK) { Content = new MemoryStream(Encoding.UTF8.GetBytes(Item("head", "\"h2\""))) }
                : new ResponseMessage(HttpStatusCode.NotFound));

        var docs = await fakes.Store().ReadAsync(Collection.Products, "P1", ["head"], ["bal|", "res|"]);

        var head = Assert.Single(docs, d => d.Id == "head");
        // The reservation was created by the commit that made head h2: with it, the head must be h2 (and the balance b2).
        Assert.Contains(docs, d => d.Id == "res|o1");
        Assert.Equal(("\"h2\"", "\"b2\""), (head.ETag, docs.Single(d => d.Id == "bal|A").ETag));
    }
}
