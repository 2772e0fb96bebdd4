namespace Inventory.Storage.Tables;

/// <summary>Settings of the Table store (section <c>Store</c>): a connection string locally, a service URI with managed identity in Azure.</summary>
public sealed class TableStoreOptions
{
    public const string Section = "Store";

    /// <summary>For Azurite: <c>UseDevelopmentStorage=true</c>.</summary>
    public string? TableConnectionString { get; set; }

    /// <summary>In Azure: <c>https://{account}.table.core.windows.net</c>, reached with DefaultAzureCredential.</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>Tables are named {TablePrefix}{collection}, e.g. inventoryproducts.</summary>
    public string TablePrefix { get; set; } = "inventory";

    public bool CreateTablesIfMissing { get; set; } = true;
}
