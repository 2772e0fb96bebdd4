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
        return services;
    }
}
