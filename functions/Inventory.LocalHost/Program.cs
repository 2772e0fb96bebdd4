using Inventory.Functions;

namespace Inventory.LocalHost;

/// <summary>The local host: the Functions app's services and function classes on Kestrel, at http://127.0.0.1:7071 by default.</summary>
public static class Program
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>What a fresh clone needs to run against Azurite; any setting or environment variable overrides these.</summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>
    {
        ["Store:Kind"] = "Table",
        ["Store:TableConnectionString"] = "UseDevelopmentStorage=true",
        ["Store:TablePrefix"] = "inventory",
        ["Store:CreateTablesIfMissing"] = "true",
        ["HoldSweepSchedule"] = "0 */1 * * * *",
        ["RecoverOrdersSchedule"] = "0 * * * * *",
        ["ReplenishmentSchedule"] = "0 0 2 * * *",
        ["ArchiveLedgerSchedule"] = "0 30 3 * * *",
        ["ReceiptsQueueName"] = "receipts",
        ["PurchaseOrderEventsQueueName"] = "purchase-order-events",
        ["PurchaseOrdersQueueName"] = "purchase-orders",
        ["LocalHost:RunTimers"] = "true",
        // One line per request is noise on a console; function logs and errors stay.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = Defaults });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls(DefaultUrl);

        builder.Services.AddInventory(builder.Configuration);
        builder.Services.AddLocalFunctions(FunctionCatalog.Discover(), builder.Configuration);

        var app = builder.Build();
        app.MapLocalFunctions();
        app.Run();
    }
}
