using System.Text.Json.Nodes;
using Inventory.Storage.Cosmos;

namespace Inventory.Infra.Tests;

/// <summary>
/// The Cosmos database and containers Bicep creates are those the Cosmos adapter uses (<see cref="CosmosLayout"/>, the
/// code's source of truth) and would create itself locally: names, partition keys, indexing policy and TTL.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class CosmosContainersMatchTheLayout(InfraTemplate infra)
{
    private Dictionary<string, JsonObject> Containers => infra.Cosmos
        .Resources("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
        .ToDictionary(Snapshot.ShortName, c => c["properties"]!["resource"]!.AsObject(), StringComparer.Ordinal);

    [Fact]
    public void The_database_is_the_one_the_app_is_told_and_defaults_to()
    {
        var database = Snapshot.ShortName(infra.Cosmos.Single("Microsoft.DocumentDB/databaseAccounts/sqlDatabases"));
        Assert.Equal(new CosmosStoreOptions().DatabaseName, database);
        Assert.Equal(database, infra.Cosmos.AppSettings["Cosmos__DatabaseName"]);
        Assert.Equal(database, LocalSettings.Values["Cosmos__DatabaseName"]);
    }

    [Fact]
    public void There_is_one_container_per_container_of_the_layout() =>
        Assert.Equal(CosmosLayout.Containers.Select(c => c.Name).Order(StringComparer.Ordinal), Containers.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Each_container_has_the_partition_key_of_the_layout() => Assert.All(CosmosLayout.Containers, layout =>
    {
        var partitionKey = Containers[layout.Name]["partitionKey"]!;
        Assert.Equal([layout.PartitionKeyPath], partitionKey["paths"]!.AsArray().Select(p => (string)p!));
        Assert.Equal("Hash", (string)partitionKey["kind"]!);
    });

    [Fact]
    public void Each_container_indexes_what_the_adapter_would_index() => Assert.All(CosmosLayout.Containers, layout =>
    {
        var expected = layout.Properties().IndexingPolicy;
        var actual = Containers[layout.Name]["indexingPolicy"]!;
        Assert.Equal(expected.IndexingMode.ToString(), (string)actual["indexingMode"]!, ignoreCase: true);
        Assert.Equal(expected.Automatic, (bool)actual["automatic"]!);
        Assert.Equal(expected.IncludedPaths.Select(p => p.Path).Order(StringComparer.Ordinal), Paths(actual["includedPaths"]));
        Assert.Equal(expected.ExcludedPaths.Select(p => p.Path).Order(StringComparer.Ordinal), Paths(actual["excludedPaths"]));
    });

    [Fact]
    public void Each_container_has_the_TTL_setting_of_the_adapter() => Assert.All(CosmosLayout.Containers, layout =>
        Assert.Equal(layout.Properties().DefaultTimeToLive, (int?)Containers[layout.Name]["defaultTtl"]));

    [Fact]
    public void No_Cosmos_account_is_created_for_the_Table_store() =>
        Assert.Empty(infra.Table.Resources("Microsoft.DocumentDB/databaseAccounts"));

    private static IEnumerable<string> Paths(JsonNode? paths) => paths!.AsArray().Select(p => (string)p!["path"]!).Order(StringComparer.Ordinal);
}
