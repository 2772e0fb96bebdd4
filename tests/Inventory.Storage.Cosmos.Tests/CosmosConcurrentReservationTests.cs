using Inventory.Testing;
using Xunit.Abstractions;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>The concurrency suite (<see cref="ConcurrentReservationContract"/>) on a real Cosmos DB: the emulator, when INVENTORY_TEST_COSMOS names it.
/// Each test gets a database of its own, as the Table run gets tables of its own (the suite reuses order ids).</summary>
[Collection(CosmosEmulatorCollection.Name)]
public class CosmosConcurrentReservationTests(ITestOutputHelper output) : ConcurrentReservationContract(output)
{
    protected override async Task<IDocumentStore?> CreateStoreAsync() => await CosmosEmulator.CreateStoreAsync();

    protected override Task DropStoreAsync(IDocumentStore store) => CosmosEmulator.DropAsync((CosmosDocumentStore)store);

    protected override string SkipReason => CosmosEmulator.SkipReason;
}
