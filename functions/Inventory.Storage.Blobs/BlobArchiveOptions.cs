namespace Inventory.Storage.Blobs;

/// <summary>Settings of the ledger archive (section <c>Archive</c>): a connection string locally, a service URI with managed identity in Azure.</summary>
public sealed class BlobArchiveOptions
{
    public const string Section = "Archive";

    /// <summary>For Azurite: <c>UseDevelopmentStorage=true</c> or a connection string naming its BlobEndpoint.</summary>
    public string? BlobConnectionString { get; set; }

    /// <summary>In Azure: <c>https://{account}.blob.core.windows.net</c>, reached with DefaultAzureCredential.</summary>
    public string? BlobServiceUri { get; set; }

    public string Container { get; set; } = "ledger-archive";

    public bool CreateContainerIfMissing { get; set; } = true;

    public bool IsSet => !string.IsNullOrEmpty(BlobConnectionString) || !string.IsNullOrEmpty(BlobServiceUri);
}
