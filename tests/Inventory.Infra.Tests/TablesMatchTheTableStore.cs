using Azure.Data.Tables;
using Inventory.Storage;
using Inventory.Storage.Tables;

namespace Inventory.Infra.Tests;

/// <summary>With the Table store chosen, Bicep creates exactly the tables <see cref="TableDocumentStore"/> opens, and the app is told to use it.</summary>
[Collection(InfraCollection.Name)]
public sealed class TablesMatchTheTableStore(InfraTemplate infra)
{
    private static IEnumerable<string> Tables(Snapshot snapshot) =>
        snapshot.Resources("Microsoft.Storage/storageAccounts/tableServices/tables").Select(Snapshot.ShortName);

    [Fact]
    public void The_tables_are_those_the_store_names_with_the_configured_prefix()
    {
        var options = new TableStoreOptions { TablePrefix = infra.Table.AppSettings["Store__TablePrefix"] };
        // The client only names tables here; it never connects.
        var store = new TableDocumentStore(new TableServiceClient("UseDevelopmentStorage=true"), options);
        Assert.Equal(
            Enum.GetValues<Collection>().Select(store.TableName).Order(StringComparer.Ordinal),
            Tables(infra.Table).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_prefix_is_the_same_in_Azure_locally_and_in_the_store_default()
    {
        Assert.Equal(new TableStoreOptions().TablePrefix, infra.Table.AppSettings["Store__TablePrefix"]);
        Assert.Equal(new TableStoreOptions().TablePrefix, LocalSettings.Values["Store__TablePrefix"]);
    }

    [Fact]
    public void The_app_is_pointed_at_the_tables_by_endpoint_not_by_key()
    {
        Assert.Equal("Table", infra.Table.AppSettings["Store__Kind"]);
        Assert.Contains("primaryEndpoints.table", infra.Table.AppSettings["Store__TableServiceUri"], StringComparison.Ordinal);
    }

    [Fact]
    public void No_tables_are_created_for_the_Cosmos_store()
    {
        Assert.Empty(Tables(infra.Cosmos));
        Assert.Equal("Cosmos", infra.Cosmos.AppSettings["Store__Kind"]);
    }
}
