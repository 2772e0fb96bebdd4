using System.Text.Json.Nodes;

namespace Inventory.Infra.Tests;

/// <summary>
/// cosmosThroughputMode chooses between a serverless account and autoscale throughput shared by the database, and the
/// Function App's instance ceiling follows the store's: one instance per 500 RU/s the hot container can get, so the app
/// never scales out past what the store serves (docs/cosmos.md, "Capacity").
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class CosmosCapacityFollowsTheParameter(InfraTemplate infra)
{
    private static IEnumerable<string> Capabilities(Snapshot snapshot) =>
        snapshot.Single("Microsoft.DocumentDB/databaseAccounts")["properties"]!["capabilities"]!.AsArray().Select(c => (string)c!["name"]!);

    private static JsonNode? Autoscale(Snapshot snapshot) =>
        snapshot.Single("Microsoft.DocumentDB/databaseAccounts/sqlDatabases")["properties"]!["options"]!["autoscaleSettings"];

    [Fact]
    public void Serverless_by_default()
    {
        Assert.Contains("EnableServerless", Capabilities(infra.Cosmos));
        Assert.Null(Autoscale(infra.Cosmos));
    }

    [Fact]
    public void Autoscale_when_asked_with_shared_database_throughput()
    {
        Assert.DoesNotContain("EnableServerless", Capabilities(infra.CosmosAutoscale));
        Assert.Equal(4000, (int)Autoscale(infra.CosmosAutoscale)!["maxThroughput"]!);
        Assert.All(infra.CosmosAutoscale.Resources("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"),
            c => Assert.Null(c["properties"]!["options"]));
    }

    private static int MaximumInstances(Snapshot snapshot) =>
        (int)snapshot.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["maximumInstanceCount"]!;

    [Fact]
    public void The_instance_ceiling_matches_the_serverless_container_ceiling() =>
        Assert.Equal(5000 / 500, MaximumInstances(infra.Cosmos));

    [Fact]
    public void The_instance_ceiling_matches_the_autoscale_maximum() =>
        Assert.Equal(4000 / 500, MaximumInstances(infra.CosmosAutoscale));

    [Fact]
    public void Table_Storage_keeps_the_platform_default_ceiling() =>
        Assert.Equal(40, MaximumInstances(infra.Table));
}
