using Inventory.Storage;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>The Table store keeps the store contract on a real Azurite.</summary>
public class TableStoreContractTests : DocumentStoreContract, IAsyncLifetime
{
    private TableDocumentStore store = null!;
    protected override IDocumentStore Store => store;

    public async Task InitializeAsync() => store = await AzuriteTables.CreateStoreAsync();
    public Task DisposeAsync() => AzuriteTables.DropAsync(store);
}
