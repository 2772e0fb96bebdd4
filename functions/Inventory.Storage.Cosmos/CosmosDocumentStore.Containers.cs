using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;

namespace Inventory.Storage.Cosmos;

public sealed partial class CosmosDocumentStore
{
    /// <summary>
    /// Creates the database and every container of <see cref="CosmosLayout"/> that is missing, and brings an existing
    /// container's indexing policy and TTL in line with the layout. Call at start-up when Cosmos:CreateIfMissing is true;
    /// in Azure infrastructure creates them and the app's identity has no right to.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var created = await client.CreateDatabaseIfNotExistsAsync(options.DatabaseName, options.DatabaseThroughput, cancellationToken: cancellationToken);
        RequestCharges.Record(logger, "create-database", options.DatabaseName, null, created.RequestCharge);
        var database = client.GetDatabase(options.DatabaseName);
        foreach (var layout in CosmosLayout.Containers)
        {
            var wanted = layout.Properties();
            var response = await database.CreateContainerIfNotExistsAsync(wanted, cancellationToken: cancellationToken);
            RequestCharges.Record(logger, "create-container", layout.Collection.ToString(), null, response.RequestCharge);
            if (response.StatusCode == HttpStatusCode.Created || response.Resource is not { } current) continue;
            if (current.PartitionKeyPath != layout.PartitionKeyPath)
                throw new InvalidOperationException($"Container '{layout.Name}' exists with partition key {current.PartitionKeyPath}, not {layout.PartitionKeyPath}; " +
                    "a partition key cannot change: migrate its items to a new container.");
            if (Matches(current, wanted)) continue;
            current.IndexingPolicy = wanted.IndexingPolicy;
            current.DefaultTimeToLive = wanted.DefaultTimeToLive;
            var replaced = await database.GetContainer(layout.Name).ReplaceContainerAsync(current, cancellationToken: cancellationToken);
            RequestCharges.Record(logger, "replace-container", layout.Collection.ToString(), null, replaced.RequestCharge);
            logger.LogInformation("Cosmos container {Container}: indexing policy and TTL brought in line with the layout", layout.Name);
        }
    }

    /// <summary>The service adds its own excluded paths (such as _etag); what the layout asks for must all be there.</summary>
    private static bool Matches(ContainerProperties current, ContainerProperties wanted) =>
        current.DefaultTimeToLive == wanted.DefaultTimeToLive
        && current.IndexingPolicy.IndexingMode == wanted.IndexingPolicy.IndexingMode
        && current.IndexingPolicy.IncludedPaths.Select(p => p.Path).ToHashSet(StringComparer.Ordinal)
            .SetEquals(wanted.IndexingPolicy.IncludedPaths.Select(p => p.Path))
        && wanted.IndexingPolicy.ExcludedPaths.All(w => current.IndexingPolicy.ExcludedPaths.Any(c => c.Path == w.Path));
}
