using Inventory.Storage.Tables;
using Inventory.Testing;
using Xunit.Abstractions;

namespace Inventory.Storage.Tests;

/// <summary>The concurrency suite (<see cref="ConcurrentReservationContract"/>) on the Table store, on a real Azurite.</summary>
public class ConcurrentReservationTests(ITestOutputHelper output) : ConcurrentReservationContract(output)
{
    protected override async Task<IDocumentStore?> CreateStoreAsync() => await AzuriteTables.CreateStoreAsync();

    protected override Task<IDocumentStore> ConnectAgainAsync(IDocumentStore store) =>
        Task.FromResult<IDocumentStore>(AzuriteTables.ConnectAgain((TableDocumentStore)store));

    protected override Task DropStoreAsync(IDocumentStore store) => AzuriteTables.DropAsync((TableDocumentStore)store);
}
