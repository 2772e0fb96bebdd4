namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// The Cosmos DB emulator named by INVENTORY_TEST_COSMOS (its connection string; see docs/cosmos.md). Each store is a
/// database of its own, created with the layout and dropped after. Without the variable, there is no store and the
/// tests that need one skip, saying why.
/// </summary>
public static class CosmosEmulator
{
    public const string Variable = "INVENTORY_TEST_COSMOS";

    /// <summary>Starts with "Needs the Cosmos DB emulator": the one skip scripts/test accepts under CI (no Docker on the build machine).</summary>
    public static string SkipReason =>
        $"Needs the Cosmos DB emulator: on a machine with Docker run `scripts/test --cosmos` (starts the Linux emulator from tools/emulators and runs the contract and concurrency suites), or set {Variable} to an emulator's connection string (docs/cosmos.md).";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs ? cs : null;

    public static async Task<CosmosDocumentStore?> CreateStoreAsync()
    {
        if (ConnectionString is not { } cs) return null;
        var store = CosmosDocumentStore.Create(new CosmosStoreOptions
        {
            ConnectionString = cs,
            DatabaseName = "test-" + Guid.NewGuid().ToString("N")[..12],
            // Shared RU/s: the emulator then holds the layout's containers without running out of partitions.
            DatabaseThroughput = 4000,
            ThrottleRetries = 10,
        });
        await store.EnsureCreatedAsync();
        return store;
    }

    public static async Task DropAsync(CosmosDocumentStore? store)
    {
        if (store is null) return;
        using (await store.Client.GetDatabase(store.Options.DatabaseName).DeleteStreamAsync()) { }
        store.Dispose();
    }
}

/// <summary>One database for the contract suite; the emulator's tests run one class at a time (it has few containers to spare).</summary>
public sealed class CosmosEmulatorFixture : IAsyncLifetime
{
    public CosmosDocumentStore? Store { get; private set; }

    public async Task InitializeAsync() => Store = await CosmosEmulator.CreateStoreAsync();

    public Task DisposeAsync() => CosmosEmulator.DropAsync(Store);
}

[CollectionDefinition(Name)]
public sealed class CosmosEmulatorCollection : ICollectionFixture<CosmosEmulatorFixture>
{
    public const string Name = "Cosmos DB emulator";
}
