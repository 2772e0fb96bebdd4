using Inventory.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Storage.Tables;

public static class TableStoreRegistration
{
    /// <summary>Registers Azure Table Storage as the service's store; <paramref name="options"/> is read when the store is first resolved.</summary>
    public static IServiceCollection AddTableStore(this IServiceCollection services, Func<IServiceProvider, TableStoreOptions> options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => TableDocumentStore.Create(sp.GetRequiredService<TableStoreOptions>()));
        services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<TableDocumentStore>());
        services.AddSingleton(sp => new StoreSetupStep("the tables", sp.GetRequiredService<TableStoreOptions>().CreateTablesIfMissing,
            TimeSpan.FromSeconds(20), ct => sp.GetRequiredService<TableDocumentStore>().EnsureCreatedAsync(ct)));
        return services;
    }
}
