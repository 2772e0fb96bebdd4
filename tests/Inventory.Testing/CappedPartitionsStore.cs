using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>
/// The same documents, as a store that caps what one partition holds shows them (Cosmos DB: 20 GB per logical
/// partition), so the application lays out what it writes for such a store (order headers in their orders' partitions).
/// </summary>
public class CappedPartitionsStore(IDocumentStore inner) : DelegatingStore(inner)
{
    public const long TwentyGigabytes = 20L * 1024 * 1024 * 1024;

    public override StoreLimits Limits => base.Limits with { MaxPartitionBytes = TwentyGigabytes };
}
