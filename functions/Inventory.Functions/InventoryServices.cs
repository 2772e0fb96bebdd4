using Inventory.Application;
using Inventory.Functions.Shopify;
using Inventory.Storage;
using Inventory.Storage.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions;

/// <summary>The service graph of the app, shared by the Functions host (Program.cs) and the local host.</summary>
public static class InventoryServices
{
    public const string StoreKindSetting = "Store:Kind";

    /// <summary>
    /// Registers the store named by Store:Kind and the application over it. The store's own settings are read when it is
    /// first resolved, from the host's final configuration (so test hosts can override them).
    /// </summary>
    public static IServiceCollection AddInventory(this IServiceCollection services, IConfiguration configuration)
    {
        var kind = configuration[StoreKindSetting] is { Length: > 0 } k ? k : "Table";
        switch (kind.ToUpperInvariant())
        {
            case "TABLE":
                services.AddSingleton(sp => TableOptions(sp.GetRequiredService<IConfiguration>()));
                services.AddSingleton(sp => TableDocumentStore.Create(sp.GetRequiredService<TableStoreOptions>()));
                services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<TableDocumentStore>());
                services.AddHostedService<TableSetup>();
                break;
            case "COSMOS":
                // COSMOS REGISTRATION POINT: functions/Inventory.Storage.Cosmos registers its IDocumentStore here
                // (reading the Cosmos__* settings; creating database and containers when Cosmos:CreateIfMissing).
                throw new InvalidOperationException(
                    "Cosmos store not available in this build: Store:Kind is 'Cosmos' but the Cosmos adapter is not wired in. Use Store:Kind=Table.");
            default:
                throw new InvalidOperationException($"Store:Kind is '{kind}'; it must be 'Table' or 'Cosmos'.");
        }

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new InventoryApplication(sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ShopifySignature>();
        services.AddSingleton<ShopifyOrders>();
        return services;
    }

    private static TableStoreOptions TableOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(TableStoreOptions.Section).Get<TableStoreOptions>() ?? new TableStoreOptions();
        if (string.IsNullOrEmpty(options.TableConnectionString) && string.IsNullOrEmpty(options.TableServiceUri))
            options.TableConnectionString = "UseDevelopmentStorage=true";
        return options;
    }
}

/// <summary>
/// Creates the tables at startup when Store:CreateTablesIfMissing (local runs). A store that does not answer is logged,
/// not fatal: the host still starts and /api/health says 503 until it does.
/// </summary>
internal sealed class TableSetup(TableDocumentStore store, TableStoreOptions options, ILogger<TableSetup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.CreateTablesIfMissing) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            await store.EnsureCreatedAsync(timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Could not create the tables; is the storage account (Azurite locally) running?");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
