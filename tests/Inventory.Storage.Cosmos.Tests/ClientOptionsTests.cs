using Microsoft.Azure.Cosmos;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>The settings pick how the one CosmosClient connects: Gateway for the emulator's connection string, Direct with managed identity.</summary>
public class ClientOptionsTests
{
    private const string Emulator = "AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==;";

    [Fact]
    public void A_connection_string_connects_through_the_gateway_to_that_endpoint_only()
    {
        using var client = CosmosDocumentStore.CreateClient(new CosmosStoreOptions { ConnectionString = Emulator, ConsistencyLevel = ConsistencyLevel.Session });

        Assert.Equal(ConnectionMode.Gateway, client.ClientOptions.ConnectionMode);
        Assert.True(client.ClientOptions.LimitToEndpoint);
        Assert.Equal(ConsistencyLevel.Session, client.ClientOptions.ConsistencyLevel);
        Assert.Equal(new Uri("https://localhost:8081/"), client.Endpoint);
    }

    [Fact]
    public void An_account_endpoint_connects_directly_with_a_credential()
    {
        using var client = CosmosDocumentStore.CreateClient(new CosmosStoreOptions { AccountEndpoint = "https://acct.documents.azure.com:443/" });

        Assert.Equal(ConnectionMode.Direct, client.ClientOptions.ConnectionMode);
        Assert.False(client.ClientOptions.LimitToEndpoint);
        Assert.Null(client.ClientOptions.ConsistencyLevel);
    }

    [Fact]
    public void No_connection_setting_is_a_clear_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() => CosmosDocumentStore.CreateClient(new CosmosStoreOptions()));
        Assert.Contains("Cosmos:ConnectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_document_carries_a_ttl_ledger_entries_included()
    {
        var fakes = new CosmosFakes();
        await fakes.Store(new CosmosStoreOptions()).CommitAsync(Collection.Products, "P1",
            [new DocumentWrite.Create("led|1", "{}") { Type = "ledger" }, new DocumentWrite.Create("bal|L1", "{}") { Type = "balance" }]);

        var calls = Assert.Single(fakes.Batches);
        Assert.All(calls, c => Assert.False(c.Item!.Value.TryGetProperty("ttl", out _)));
    }
}
