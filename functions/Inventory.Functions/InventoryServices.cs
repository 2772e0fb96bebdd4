using Azure.Messaging.ServiceBus;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Replenishment;
using Inventory.Functions.Messaging;
using Inventory.Functions.Shopify;
using Inventory.Storage;
using Inventory.Storage.Blobs;
using Inventory.Storage.Cosmos;
using Inventory.Storage.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions;

/// <summary>The service graph of the app, shared by the Functions host (Program.cs) and the local host.</summary>
public static class InventoryServices
{
    public const string StoreKindSetting = "Store:Kind";
    public const string ReplenishmentSection = "Replenishment";
    public const string OverReceiptToleranceSetting = "Receiving:OverReceiptTolerancePercent";

    /// <summary>
    /// Registers the store named by Store:Kind (through its adapter's AddTableStore/AddCosmosStore) and the use cases over it. The store's own settings, the replenishment
    /// and receiving options and the Service Bus connection are read when first resolved, from the host's final
    /// configuration (so test hosts can override them).
    /// </summary>
    public static IServiceCollection AddInventory(this IServiceCollection services, IConfiguration configuration)
    {
        var kind = configuration[StoreKindSetting] is { Length: > 0 } k ? k : "Table";
        switch (kind.ToUpperInvariant())
        {
            case "TABLE":
                services.AddTableStore(sp => TableOptions(sp.GetRequiredService<IConfiguration>()));
                break;
            case "COSMOS":
                services.AddCosmosStore(sp => sp.GetRequiredService<IConfiguration>().GetSection(CosmosStoreOptions.Section).Get<CosmosStoreOptions>() ?? new CosmosStoreOptions());
                break;
            default:
                throw new InvalidOperationException($"Store:Kind is '{kind}'; it must be 'Table' or 'Cosmos'.");
        }

        // The ledger archive: made when Archive:BlobConnectionString or Archive:BlobServiceUri is set (Azurite locally).
        services.AddBlobLedgerArchive(sp => sp.GetRequiredService<IConfiguration>().GetSection(BlobArchiveOptions.Section).Get<BlobArchiveOptions>() ?? new BlobArchiveOptions());
        services.AddHostedService<StoreSetup>(); // runs the setup steps the adapters registered

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => QueueNames.From(sp.GetRequiredService<IConfiguration>()));
        // The client is made only when something asks for it, which happens only when ServiceBusConnection is set.
        services.AddAzureClients(clients => clients.AddClient<ServiceBusClient, ServiceBusClientOptions>((options, credential, sp) =>
            ServiceBusConnection(sp.GetRequiredService<IConfiguration>()) switch
            {
                { ConnectionString: { } cs } => new ServiceBusClient(cs, options),
                { Namespace: { } ns } => new ServiceBusClient(ns, credential, options),
                _ => throw new InvalidOperationException("Set ServiceBusConnection (a connection string) or ServiceBusConnection__fullyQualifiedNamespace."),
            }));
        services.AddSingleton<IPurchaseOrderPublisher>(sp => ServiceBusConnection(sp.GetRequiredService<IConfiguration>()).IsSet
            ? new ServiceBusPurchaseOrderPublisher(sp.GetRequiredService<ServiceBusClient>().CreateSender(sp.GetRequiredService<QueueNames>().PurchaseOrders))
            : sp.GetRequiredService<OutboxPublisher>());
        // The settings, read from the host's final configuration when first resolved. Section Concurrency: MaxAttempts,
        // BaseDelay, MaxDelay, Coalesce, CoalescingWindow, AdaptiveWindow, MaxCoalescingWindow, MaxBatchSize (defaults in ConcurrencyOptions).
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Concurrency").Get<ConcurrencyOptions>() ?? new ConcurrencyOptions());
        services.AddSingleton(sp => Ledger(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<BlobArchiveOptions>().IsSet));
        services.AddSingleton(sp => Replenishment(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new ReceivingOptions { OverReceiptTolerancePercent = OverReceiptTolerance(sp.GetRequiredService<IConfiguration>()) });
        services.AddSingleton(sp => Orders(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => Counts(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => Escrow(sp.GetRequiredService<IConfiguration>()));
        InventoryRegistration.AddInventory(services); // the use cases, over the store registered above
        services.AddSingleton<QueueIntake>();
        services.AddSingleton<ShopifySignature>();
        services.AddSingleton<ShopifyOrders>();
        return services;
    }

    /// <summary>ServiceBusConnection as a connection string (emulator, key), or its fullyQualifiedNamespace (managed identity).</summary>
    public static (string? ConnectionString, string? Namespace, bool IsSet) ServiceBusConnection(IConfiguration configuration)
    {
        var section = configuration.GetSection(QueueNames.ServiceBusConnection);
        var cs = section.Value is { Length: > 0 } v ? v : null;
        var ns = section["fullyQualifiedNamespace"] is { Length: > 0 } n ? n : null;
        return (cs, cs is null ? ns : null, cs is not null || ns is not null);
    }

    public static ReplenishmentOptions Replenishment(IConfiguration configuration)
    {
        var options = configuration.GetSection(ReplenishmentSection).Get<ReplenishmentOptions>() ?? new ReplenishmentOptions();
        // Up to the days a product's demand history can keep: each day of the window is then counted.
        if (options.DemandWindowDays < 1 || options.DemandWindowDays > Domain.DemandHistory.MaxKeptDays)
            throw Setting("Replenishment:DemandWindowDays", $"between 1 and {Domain.DemandHistory.MaxKeptDays}");
        if (options.ScanPageSize is < 1 or > 1000) throw Setting("Replenishment:ScanPageSize", "between 1 and 1000");
        if (options.ScanParallelism is < 1 or > 256) throw Setting("Replenishment:ScanParallelism", "between 1 and 256");
        return options with { DefaultWarehouseId = string.IsNullOrWhiteSpace(options.DefaultWarehouseId) ? null : options.DefaultWarehouseId };
    }

    /// <summary>Section Orders: RecoverAfterSeconds (how long a saga may stay open before RecoverOrders finishes it), ClaimExclusiveMilliseconds, ClockSkewMilliseconds (OrderClaim).</summary>
    public static OrderOptions Orders(IConfiguration configuration)
    {
        var options = configuration.GetSection(OrderOptions.Section).Get<OrderOptions>() ?? new OrderOptions();
        if (options.ClaimExclusiveMilliseconds is < 0 or > 60_000) throw Setting("Orders:ClaimExclusiveMilliseconds", "between 0 and 60000");
        if (options.ClockSkewMilliseconds is < 0 or > 60_000) throw Setting("Orders:ClockSkewMilliseconds", "between 0 and 60000");
        return options.RecoverAfterSeconds is >= 1 and <= 86_400 ? options : throw Setting("Orders:RecoverAfterSeconds", "between 1 and 86400");
    }

    /// <summary>Section Ledger: CheckpointEvery (ledger entries between two checkpoints of the balances), ArchiveAfterDays.</summary>
    public static LedgerOptions Ledger(IConfiguration configuration, bool archiveSet = true)
    {
        var options = configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
        if (options.ArchiveAfterDays is < 1 or > 36_500) throw Setting("Ledger:ArchiveAfterDays", "empty or between 1 and 36500");
        if (options.ArchiveAfterDays is not null && !archiveSet)
            throw Setting("Archive:BlobConnectionString or Archive:BlobServiceUri", "set when Ledger:ArchiveAfterDays is (the archive the entries move to)");
        return options.CheckpointEvery is >= 10 and <= 100_000 ? options : throw Setting("Ledger:CheckpointEvery", "between 10 and 100000");
    }

    /// <summary>Section Counts: InRequestRows, InRequestSeconds (below the 230 s HTTP limit), ResumeSeconds, WindowRows.</summary>
    public static Application.Counts.CountOptions Counts(IConfiguration configuration)
    {
        var options = configuration.GetSection(Application.Counts.CountOptions.Section).Get<Application.Counts.CountOptions>() ?? new();
        if (options.InRequestRows is < 0 or > Application.Counts.StockCount.MaxRows) throw Setting("Counts:InRequestRows", $"between 0 and {Application.Counts.StockCount.MaxRows}");
        if (options.InRequestSeconds is < 0 or > 200) throw Setting("Counts:InRequestSeconds", "between 0 and 200 (the HTTP limit is 230 s)");
        if (options.ResumeSeconds is < 1 or > 3600) throw Setting("Counts:ResumeSeconds", "between 1 and 3600");
        if (options.WindowRows is < 1 or > 10_000) throw Setting("Counts:WindowRows", "between 1 and 10000");
        return options;
    }

    /// <summary>
    /// Section Escrow: Products (the hot products whose one-product orders reserve in escrow buckets, comma-separated ids;
    /// unset: none), Buckets (how many each has, 1 to 64), Bucket (this instance's; unset: drawn at random when it starts),
    /// Automatic (also a product other instances keep winning races on, for CooldownSeconds after).
    /// </summary>
    public static Application.Escrow.EscrowOptions Escrow(IConfiguration configuration)
    {
        var section = configuration.GetSection("Escrow");
        var products = (section["Products"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (products.FirstOrDefault(p => !Domain.Limits.IsValidId(p)) is { } bad) throw Setting("Escrow:Products", $"a comma-separated list of product ids ('{bad}' is not one)");
        var options = new Application.Escrow.EscrowOptions
        {
            Products = products.ToHashSet(StringComparer.Ordinal),
            Buckets = section.GetValue<int?>("Buckets") ?? new Application.Escrow.EscrowOptions().Buckets,
            Bucket = section.GetValue<int?>("Bucket"),
            Automatic = section.GetValue<bool?>("Automatic") ?? false,
            Cooldown = TimeSpan.FromSeconds(section.GetValue<int?>("CooldownSeconds") ?? 60),
        };
        if (options.Cooldown < TimeSpan.FromSeconds(1) || options.Cooldown > TimeSpan.FromHours(24)) throw Setting("Escrow:CooldownSeconds", "between 1 and 86400");
        if (options.Buckets is < 1 or > Application.Escrow.EscrowOptions.MaxBuckets) throw Setting("Escrow:Buckets", $"between 1 and {Application.Escrow.EscrowOptions.MaxBuckets}");
        if (options.Bucket is { } b && (b < 1 || b > options.Buckets)) throw Setting("Escrow:Bucket", "empty or between 1 and Escrow:Buckets");
        return options;
    }

    public static decimal OverReceiptTolerance(IConfiguration configuration)
    {
        var tolerance = configuration.GetValue<decimal?>(OverReceiptToleranceSetting) ?? 0;
        return tolerance is >= 0 and <= 1000 ? tolerance : throw Setting(OverReceiptToleranceSetting, "a percentage between 0 and 1000");
    }

    private static InvalidOperationException Setting(string name, string must) => new($"Setting {name} must be {must}.");

    private static TableStoreOptions TableOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(TableStoreOptions.Section).Get<TableStoreOptions>() ?? new TableStoreOptions();
        if (string.IsNullOrEmpty(options.TableConnectionString) && string.IsNullOrEmpty(options.TableServiceUri))
            options.TableConnectionString = "UseDevelopmentStorage=true";
        return options;
    }
}

/// <summary>
/// Runs the setup steps registered (<see cref="StoreSetupStep"/>: the adapters' tables, containers, a probe; then the
/// application's, such as the order headers' layout) at start-up. A store that does not answer is logged, not fatal: the
/// host still starts and /api/health says 503 until it does. A missing Cosmos database or container is logged as the
/// configuration error it is, once: the steps after it would only fail the same way.
/// </summary>
internal sealed class StoreSetup(IEnumerable<StoreSetupStep> steps, ILogger<StoreSetup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var step in steps.Where(s => s.Enabled))
            if (!await RunAsync(step, cancellationToken)) return;
    }

    /// <summary>False when the store is misconfigured.</summary>
    private async Task<bool> RunAsync(StoreSetupStep step, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(step.Timeout);
        try
        {
            await step.RunAsync(limit.Token);
        }
        catch (StoreMisconfiguredException e)
        {
            log.LogCritical(e, "Configuration error: {Error} Every call to the store will fail until it is fixed.", e.Message);
            return false;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Could not set up {What}; is the store (Azurite or the emulator locally) reachable?", step.What);
        }
        return true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
