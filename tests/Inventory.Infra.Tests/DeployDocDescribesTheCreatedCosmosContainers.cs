using System.Text.Json.Nodes;

namespace Inventory.Infra.Tests;

/// <summary>
/// The paragraph of docs/deploy.md ("What `azd up` creates") that lists the Cosmos containers names each container Bicep
/// creates with its partition key, and claims a TTL only for a container Bicep gives one: an operator reading it must
/// learn where every collection lives and whether anything expires.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class DeployDocDescribesTheCreatedCosmosContainers(InfraTemplate infra)
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(InfraTemplate.RepoRoot, "docs", "deploy.md"));

    /// <summary>From "Cosmos containers (partition key;" up to the Table store's sentence that closes the paragraph.</summary>
    private static string ContainerParagraph
    {
        get
        {
            var start = Doc.IndexOf("Cosmos containers (partition key", StringComparison.Ordinal);
            Assert.True(start >= 0, "docs/deploy.md has no paragraph listing the Cosmos containers");
            var end = Doc.IndexOf("With `STORE_KIND=Table`", start, StringComparison.Ordinal);
            Assert.True(end > start, "the Cosmos containers paragraph of docs/deploy.md has no end");
            return Doc[start..end].ReplaceLineEndings(" ");
        }
    }

    private Dictionary<string, JsonObject> Containers => infra.Cosmos
        .Resources("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
        .ToDictionary(Snapshot.ShortName, c => c["properties"]!["resource"]!.AsObject(), StringComparer.Ordinal);

    [Fact]
    public void Every_created_container_is_listed_with_its_partition_key()
    {
        var missing = Containers
            .Select(c => (Name: c.Key, PartitionKey: (string)c.Value["partitionKey"]!["paths"]![0]!))
            .Where(c => !ContainerParagraph.Contains($"`{c.Name}` (`{c.PartitionKey}`", StringComparison.Ordinal))
            .Select(c => $"{c.Name} ({c.PartitionKey})")
            .ToList();
        Assert.True(missing.Count == 0,
            $"docs/deploy.md does not list the Cosmos container(s) infra/main.bicep creates: {string.Join(", ", missing)}");
    }

    [Fact]
    public void A_TTL_is_claimed_only_for_a_container_created_with_one()
    {
        var claimed = Containers.Keys
            .Where(name => ContainerParagraph.IndexOf($"`{name}` (", StringComparison.Ordinal) is var at and >= 0
                && ContainerParagraph.IndexOf(')', at) is var close and > 0
                && ContainerParagraph[at..close].Contains("TTL on", StringComparison.Ordinal))
            .Where(name => Containers[name]["defaultTtl"] is null)
            .ToList();
        Assert.True(claimed.Count == 0,
            $"docs/deploy.md says TTL is on for {string.Join(", ", claimed)}, but infra/main.bicep creates it without defaultTtl (nothing expires; old ledger entries are archived)");
    }
}
