using System.Text.Json.Nodes;

namespace Inventory.Infra.Tests;

/// <summary>cosmosThroughputMode chooses between a serverless account and autoscale throughput shared by the database.</summary>
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
        Assert.Equal(1000, (int)Autoscale(infra.CosmosAutoscale)!["maxThroughput"]!);
        Assert.All(infra.CosmosAutoscale.Resources("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"),
            c => Assert.Null(c["properties"]!["options"]));
    }
}
