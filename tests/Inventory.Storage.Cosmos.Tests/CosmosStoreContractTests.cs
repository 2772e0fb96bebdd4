using Inventory.Testing;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>The store contract (<see cref="DocumentStoreContract"/>) on a real Cosmos DB: the emulator, when INVENTORY_TEST_COSMOS names it.</summary>
[Collection(CosmosEmulatorCollection.Name)]
public class CosmosStoreContractTests(CosmosEmulatorFixture emulator) : DocumentStoreContract
{
    protected override IDocumentStore Store => emulator.Store!;

    protected override void RequireStore() => Skip.If(emulator.Store is null, CosmosEmulator.SkipReason);

    /// <summary>Cosmos counts an item's UTF-8 bytes.</summary>
    protected override int BytesPerBodyChar => 1;
}
