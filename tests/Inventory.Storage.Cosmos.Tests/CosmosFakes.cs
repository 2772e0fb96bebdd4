using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>One operation a batch was given, as the store called it.</summary>
public sealed record BatchCall(string Method, string Id, string? IfMatch, JsonElement? Item);

/// <summary>
/// A CosmosClient whose containers are Moq mocks. Batches are strict mocks that record each stream operation, so a
/// call the store should never make (a typed CreateItem, a PatchItem) fails the test. Responses are queued per test.
/// </summary>
public sealed class CosmosFakes
{
    public Mock<CosmosClient> Client { get; } = new();
    public Mock<Container> Container { get; } = new();
    public List<List<BatchCall>> Batches { get; } = [];
    public List<PartitionKey> BatchPartitions { get; } = [];
    public Queue<TransactionalBatchResponse> Responses { get; } = new();
    public List<(QueryDefinition Query, QueryRequestOptions? Options)> Queries { get; } = [];
    /// <summary>For each query in turn, the pages its iterator yields.</summary>
    public Queue<ResponseMessage[]> QueryPages { get; } = new();

    public CosmosFakes()
    {
        Client.Setup(c => c.GetContainer(It.IsAny<string>(), It.IsAny<string>())).Returns(Container.Object);
        Container.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>())).Returns((PartitionKey pk) => NewBatch(pk));
        Container.Setup(c => c.GetItemQueryStreamIterator(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns((QueryDefinition q, string _, QueryRequestOptions o) =>
            {
                Queries.Add((q, o));
                var pages = new Queue<ResponseMessage>(QueryPages.Count > 0 ? QueryPages.Dequeue() : []);
                var iterator = new Mock<FeedIterator>();
                iterator.Setup(i => i.HasMoreResults).Returns(() => pages.Count > 0);
                iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => pages.Dequeue());
                return iterator.Object;
            });
    }

    public CosmosDocumentStore Store(CosmosStoreOptions? options = null) => new(Client.Object, options ?? new CosmosStoreOptions());

    private TransactionalBatch NewBatch(PartitionKey partition)
    {
        var calls = new List<BatchCall>();
        Batches.Add(calls);
        BatchPartitions.Add(partition);
        var batch = new Mock<TransactionalBatch>(MockBehavior.Strict);
        batch.Setup(b => b.CreateItemStream(It.IsAny<Stream>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
            .Callback((Stream s, TransactionalBatchItemRequestOptions o) => calls.Add(Call("create", s, o))).Returns(batch.Object);
        batch.Setup(b => b.UpsertItemStream(It.IsAny<Stream>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
            .Callback((Stream s, TransactionalBatchItemRequestOptions o) => calls.Add(Call("upsert", s, o))).Returns(batch.Object);
        batch.Setup(b => b.ReplaceItemStream(It.IsAny<string>(), It.IsAny<Stream>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
            .Callback((string id, Stream s, TransactionalBatchItemRequestOptions o) => calls.Add(Call("replace", s, o) with { Id = id })).Returns(batch.Object);
        batch.Setup(b => b.DeleteItem(It.IsAny<string>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
            .Callback((string id, TransactionalBatchItemRequestOptions o) => calls.Add(new BatchCall("delete", id, o?.IfMatchEtag, null))).Returns(batch.Object);
        batch.Setup(b => b.ExecuteAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Responses.Count > 0 ? Responses.Dequeue() : BatchResponse(HttpStatusCode.OK, calls.Select(_ => HttpStatusCode.Created).ToArray()));
        return batch.Object;
    }

    private static BatchCall Call(string method, Stream stream, TransactionalBatchItemRequestOptions? options)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        var item = JsonDocument.Parse(reader.ReadToEnd()).RootElement.Clone();
        return new BatchCall(method, item.GetProperty("id").GetString()!, options?.IfMatchEtag, item);
    }

    /// <summary>A batch response: overall status, one status per operation, RU charge and RetryAfter.</summary>
    public static TransactionalBatchResponse BatchResponse(HttpStatusCode status, HttpStatusCode[] operations, double charge = 1, TimeSpan? retryAfter = null)
    {
        var response = new Mock<TransactionalBatchResponse>();
        response.Setup(r => r.StatusCode).Returns(status);
        response.Setup(r => r.IsSuccessStatusCode).Returns((int)status is >= 200 and < 300);
        response.Setup(r => r.RequestCharge).Returns(charge);
        response.Setup(r => r.RetryAfter).Returns(retryAfter);
        response.Setup(r => r.ErrorMessage).Returns(status.ToString());
        response.Setup(r => r.Count).Returns(operations.Length);
        for (var i = 0; i < operations.Length; i++)
        {
            var index = i;
            var result = new Mock<TransactionalBatchOperationResult>();
            result.Setup(o => o.StatusCode).Returns(operations[index]);
            response.Setup(r => r[index]).Returns(result.Object);
        }
        return response.Object;
    }

    /// <summary>A query page as the service sends it: {"Documents":[...]} with its RU charge.</summary>
    public static ResponseMessage Page(double charge, params string[] items)
    {
        var message = new ResponseMessage(HttpStatusCode.OK)
        {
            Content = new MemoryStream(Encoding.UTF8.GetBytes($"{{\"_rid\":\"x\",\"Documents\":[{string.Join(",", items)}],\"_count\":{items.Length}}}")),
        };
        message.Headers["x-ms-request-charge"] = charge.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return message;
    }

    /// <summary>An item as Cosmos returns it: what the store wrote plus the system properties.</summary>
    public static string Stored(string item, string etag = "\"00000001-0000\"") =>
        item[..^1] + $",\"_rid\":\"abc==\",\"_self\":\"dbs/x/colls/y/docs/z/\",\"_etag\":{JsonSerializer.Serialize(etag)},\"_attachments\":\"attachments/\",\"_ts\":1700000000}}";
}
