using System.Net;
using System.Text.Json;
using Inventory.Functions.Tests.Support;
using Inventory.Storage;
using Inventory.Storage.Cosmos;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Inventory.Functions.Tests;

/// <summary>
/// A store that does not answer is the same 503 problem over HTTP whichever store it is: type store-unavailable,
/// Retry-After, a body that names the kind of store and nothing of its hosts, partitions, ids or exception text.
/// Table: the host's store points at a port nothing listens on. Cosmos: a Moq client whose every call answers 503.
/// </summary>
public sealed class StoreOutageTests(StoreOutageTests.TableDown tableDown, StoreOutageTests.CosmosDown cosmosDown)
    : IClassFixture<StoreOutageTests.TableDown>, IClassFixture<StoreOutageTests.CosmosDown>
{
    private const string ClosedTablePort =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    public sealed class TableDown : LocalHostFactory
    {
        protected override string? ConnectionString => ClosedTablePort;
        protected override bool CreateTables => false;
    }

    public sealed class CosmosDown : LocalHostFactory
    {
        protected override string? ConnectionString => ClosedTablePort;
        protected override bool CreateTables => false;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IDocumentStore>(
                new CosmosDocumentStore(UnavailableCosmos(), new CosmosStoreOptions { DatabaseName = "inventory" })));
        }
    }

    /// <summary>A Cosmos account in an outage: point reads and query pages answer 503, a batch throws the SDK's 503.</summary>
    private static CosmosClient UnavailableCosmos()
    {
        static ResponseMessage Down() => new(HttpStatusCode.ServiceUnavailable, null, "Service is currently unavailable. ActivityId: 6f1c-secret, host cosmos-westeurope.internal");
        var container = new Mock<Container>();
        container.Setup(c => c.ReadItemStreamAsync(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Down);
        container.Setup(c => c.GetItemQueryStreamIterator(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns(() =>
            {
                var iterator = new Mock<FeedIterator>();
                iterator.Setup(i => i.HasMoreResults).Returns(true);
                iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Down);
                return iterator.Object;
            });
        container.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>()))
            .Throws(new CosmosException("Service Unavailable at cosmos-westeurope.internal", HttpStatusCode.ServiceUnavailable, 0, "6f1c-secret", 1));
        var client = new Mock<CosmosClient>();
        client.Setup(c => c.GetContainer(It.IsAny<string>(), It.IsAny<string>())).Returns(container.Object);
        return client.Object;
    }

    private static async Task<(HttpStatusCode Status, string? RetryAfter, string? ContentType, JsonElement Body)> GetStockAsync(HttpClient api)
    {
        using var response = await api.GetAsync("/api/products/outage-1/stock");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, response.Headers.RetryAfter?.ToString(), response.Content.Headers.ContentType?.MediaType, body);
    }

    [Fact]
    public async Task A_Table_outage_and_a_Cosmos_outage_are_the_same_503_problem_with_Retry_After()
    {
        var table = await GetStockAsync(tableDown.CreateClient());
        var cosmos = await GetStockAsync(cosmosDown.CreateClient());

        foreach (var (outage, store) in new[] { (table, "Azure Table Storage"), (cosmos, "Azure Cosmos DB") })
        {
            Assert.True(outage.Status == HttpStatusCode.ServiceUnavailable, store + ": " + outage.Body.ToString());
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "application/problem+json"), (outage.Status, outage.ContentType));
            Assert.Equal("urn:inventory:problem:store-unavailable", outage.Body.GetProperty("type").GetString());
            Assert.Equal(503, outage.Body.GetProperty("status").GetInt32());
            Assert.Equal(store, outage.Body.GetProperty("store").GetString());
            Assert.True(int.Parse(outage.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture) >= 1, $"Retry-After {outage.RetryAfter}");
            var detail = outage.Body.GetProperty("detail").GetString()!;
            foreach (var leak in new[] { "127.0.0.1", "cosmos-westeurope", "6f1c", "outage-1", "Exception", "HTTP", "activity", "products" })
                Assert.DoesNotContain(leak, detail, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(table.Body.GetProperty("title").GetString(), cosmos.Body.GetProperty("title").GetString());
        Assert.Equal(table.RetryAfter, cosmos.RetryAfter);
        Assert.Equal(
            table.Body.GetProperty("detail").GetString()!.Replace("Azure Table Storage", "{store}", StringComparison.Ordinal),
            cosmos.Body.GetProperty("detail").GetString()!.Replace("Azure Cosmos DB", "{store}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_during_a_Cosmos_outage_is_the_same_503()
    {
        using var response = await cosmosDown.CreateClient().PostAsync("/api/stock/receipts",
            new StringContent("""{"receiptId":"r-1","productId":"outage-2","locationId":"l-1","quantity":1}""", System.Text.Encoding.UTF8, "application/json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("urn:inventory:problem:store-unavailable", body.GetProperty("type").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
