using Inventory.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Storage.Blobs;

public static class BlobArchiveRegistration
{
    /// <summary>
    /// Registers Blob Storage as the ledger archive when <paramref name="options"/> name an account (a connection string
    /// or a service URI); otherwise no archive is registered (null) and ledger archival stays off.
    /// </summary>
    public static IServiceCollection AddBlobLedgerArchive(this IServiceCollection services, Func<IServiceProvider, BlobArchiveOptions> options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => sp.GetRequiredService<BlobArchiveOptions>() is { IsSet: true } o ? BlobLedgerArchive.Create(o) : null!);
        services.AddSingleton<ILedgerArchive>(sp => sp.GetService<BlobLedgerArchive>()!);
        services.AddSingleton(sp => new StoreSetupStep("the ledger archive's container", sp.GetRequiredService<BlobArchiveOptions>().IsSet,
            TimeSpan.FromSeconds(20), ct => sp.GetRequiredService<BlobLedgerArchive>().EnsureCreatedAsync(ct)));
        return services;
    }
}
