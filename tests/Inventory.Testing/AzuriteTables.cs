using Azure.Data.Tables;
using Inventory.Storage.Tables;

namespace Inventory.Testing;

/// <summary>
/// Table stores on the Azurite that scripts/test starts (connection string in INVENTORY_TEST_STORAGE, else Azurite's
/// default ports). Each store gets tables of its own, so test classes never see each other's data.
/// </summary>
public static class AzuriteTables
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("INVENTORY_TEST_STORAGE") is { Length: > 0 } cs ? cs : "UseDevelopmentStorage=true";

    public static async Task<TableDocumentStore> CreateStoreAsync()
    {
        var options = new TableStoreOptions
        {
            TableConnectionString = ConnectionString,
            TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12],
        };
        var store = TableDocumentStore.Create(options);
        try
        {
            await store.EnsureCreatedAsync();
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            throw new InvalidOperationException(
                "Azurite is not reachable. Run the tests with scripts/test, which starts it, or set INVENTORY_TEST_STORAGE.", e);
        }
        return store;
    }

    /// <summary>Another client of the same tables, as a second host would have.</summary>
    public static TableDocumentStore ConnectAgain(TableDocumentStore store) => TableDocumentStore.Create(new TableStoreOptions
    {
        TableConnectionString = ConnectionString,
        TablePrefix = store.TableName(Inventory.Storage.Collection.Products)[..^"products".Length],
        CreateTablesIfMissing = false,
    });

    /// <summary>Deletes the tables a store created.</summary>
    public static async Task DropAsync(TableDocumentStore store)
    {
        var service = new TableServiceClient(ConnectionString);
        foreach (var collection in Enum.GetValues<Inventory.Storage.Collection>())
            await service.DeleteTableAsync(store.TableName(collection));
    }
}
