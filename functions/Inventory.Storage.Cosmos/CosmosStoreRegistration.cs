using Inventory.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inventory.Storage.Cosmos;

public static class CosmosStoreRegistration
{
    /// <summary>Registers Azure Cosmos DB as the service's store; <paramref name="options"/> is read when the store is first resolved.</summary>
    public static IServiceCollection AddCosmosStore(this IServiceCollection services, Func<IServiceProvider, CosmosStoreOptions> options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => CosmosDocumentStore.Create(sp.GetRequiredService<CosmosStoreOptions>(), sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<CosmosDocumentStore>());
        // In Azure the infrastructure creates the containers; the store is then probed, so a wrong name shows at start-up.
        services.AddSingleton(sp => sp.GetRequiredService<CosmosStoreOptions>().CreateIfMissing
            ? new StoreSetupStep("the Cosmos database and containers", true, TimeSpan.FromSeconds(60),
                ct => sp.GetRequiredService<CosmosDocumentStore>().EnsureCreatedAsync(ct))
            : new StoreSetupStep("the Cosmos probe", true, TimeSpan.FromSeconds(20), ct => sp.GetRequiredService<CosmosDocumentStore>().PingAsync(ct)));
        return services;
    }
}
