namespace Inventory.Infra.Tests;

/// <summary>
/// The settings that legitimately appear on one side only, with the reason; docs/deploy.md carries the same lists.
/// Every other setting must be both in local.settings.sample.json and in the Function App's app settings.
/// </summary>
public static class SettingsContract
{
    /// <summary>Local connections by secret or emulator, each replaced in Azure by its identity-based counterpart (empty: none, with the reason).</summary>
    public static IReadOnlyDictionary<string, string> LocalOnly { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage"] = "AzureWebJobsStorage__blobServiceUri",
        ["Store__TableConnectionString"] = "Store__TableServiceUri",
        ["Archive__BlobConnectionString"] = "Archive__BlobServiceUri",
        ["Cosmos__ConnectionString"] = "Cosmos__AccountEndpoint",
        ["ServiceBusConnection"] = "ServiceBusConnection__fullyQualifiedNamespace",
        // Read only when the app creates the database itself (Cosmos__CreateIfMissing), which it never does in Azure.
        ["Cosmos__DatabaseThroughput"] = "",
        // Flex Consumption takes the worker runtime from functionAppConfig.runtime and refuses this app setting.
        ["FUNCTIONS_WORKER_RUNTIME"] = "",
    };

    /// <summary>Managed-identity plumbing and telemetry that only exist in Azure.</summary>
    public static IReadOnlySet<string> AzureOnly { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "ServiceBusConnection__fullyQualifiedNamespace",
        "ServiceBusConnection__credential",
        "ServiceBusConnection__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    /// <summary>The settings table of the brief (the contract between app, sample and infrastructure).</summary>
    public static IReadOnlyList<string> Required { get; } =
    [
        "Store__Kind", "Store__TableConnectionString", "Store__TableServiceUri", "Store__TablePrefix", "Store__CreateTablesIfMissing",
        "Cosmos__ConnectionString", "Cosmos__AccountEndpoint", "Cosmos__DatabaseName", "Cosmos__CreateIfMissing",
        "Cosmos__ConnectionMode", "Cosmos__ConsistencyLevel", "ServiceBusConnection", "ReceiptsQueueName",
        "PurchaseOrderEventsQueueName", "PurchaseOrdersQueueName", "ReplenishmentSchedule", "HoldSweepSchedule", "RecoverOrdersSchedule", "Orders__RecoverAfterSeconds",
        "Shopify__WebhookSecret", "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "AZURE_CLIENT_ID",
    ];
}
