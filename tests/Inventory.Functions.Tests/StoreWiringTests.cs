using Inventory.Testing;
using System.Net;
using Inventory.Functions.Api;
using Inventory.Storage;
using Inventory.Storage.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Functions.Tests;

/// <summary>Store:Kind picks the store AddInventory registers; a wrong kind or a Cosmos store without a connection fails clearly.</summary>
public sealed class StoreWiringTests
{
    /// <summary>An emulator-shaped connection string: the client connects lazily, so nothing listens at this address.</summary>
    private static readonly string DummyCosmos = $"AccountEndpoint=https://127.0.0.1:9/;AccountKey={Convert.ToBase64String(new byte[64])};";

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddInventory(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Cosmos_kind_resolves_the_Cosmos_store_with_its_section()
    {
        using var services = Services(new()
        {
            ["Store:Kind"] = "Cosmos", ["Cosmos:ConnectionString"] = DummyCosmos, ["Cosmos:DatabaseName"] = "inv-test",
            ["Cosmos:ConnectionMode"] = "Gateway", ["Cosmos:ConsistencyLevel"] = "", ["Cosmos:DatabaseThroughput"] = "",
        });

        var store = Assert.IsType<CosmosDocumentStore>(services.GetRequiredService<IDocumentStore>());
        Assert.Equal("inv-test", store.Options.DatabaseName);
        Assert.Equal(ConnectionMode.Gateway, store.Options.EffectiveConnectionMode);
        Assert.Null(store.Options.ConsistencyLevel);
        Assert.Same(store, Testing.InventoryApplication.From(services).Store); // types travel on the writes, set by the modules
    }

    [Fact]
    public void Cosmos_kind_without_a_connection_says_which_settings_to_set()
    {
        using var services = Services(new() { ["Store:Kind"] = "cosmos" });
        var e = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IDocumentStore>());
        Assert.Contains("Cosmos:ConnectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_kind_fails_at_registration_naming_it() =>
        Assert.Contains("'Bogus'", Assert.Throws<InvalidOperationException>(() => Services(new() { ["Store:Kind"] = "Bogus" })).Message, StringComparison.Ordinal);

    [Fact]
    public void The_adapters_register_their_setup_steps_and_the_host_runs_them_without_naming_a_store()
    {
        using var tables = Services(new()
        {
            ["Store:Kind"] = "Table", ["Store:CreateTablesIfMissing"] = "true", ["Archive:BlobConnectionString"] = "UseDevelopmentStorage=true",
        });
        var steps = tables.GetServices<StoreSetupStep>().ToArray();
        // The adapters' steps first: the orders' layout is recorded in tables that exist.
        Assert.Equal(["the tables", "the ledger archive's container", "the order headers' layout"], steps.Select(s => s.What));
        Assert.All(steps, s => Assert.True(s.Enabled));
        Assert.Single(tables.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), h => h.GetType().Name == "StoreSetup");

        using var cosmos = Services(new() { ["Store:Kind"] = "Cosmos", ["Cosmos:ConnectionString"] = DummyCosmos, ["Cosmos:CreateIfMissing"] = "false" });
        var enabled = cosmos.GetServices<StoreSetupStep>().Where(s => s.Enabled).Select(s => s.What); // no archive set: its step is off
        Assert.Equal(["the Cosmos probe", "the order headers' layout"], enabled);
    }

    [Fact]
    public void Store_throttling_is_503_with_the_retry_after_it_asked_for_and_other_failures_503()
    {
        var throttled = Problems.From(new StoreThrottledException("Azure Cosmos DB", "429 after retries", TimeSpan.FromMilliseconds(2300)));
        var down = Problems.From(new StoreUnavailableException("Azure Cosmos DB", "gone", (int)HttpStatusCode.ServiceUnavailable));

        Assert.Equal((503, "3"), (throttled.StatusCode, throttled.Headers["Retry-After"]));
        Assert.Equal(Problems.TypePrefix + "store-throttled", ((Dictionary<string, object?>)throttled.Body!)["type"]);
        Assert.Equal(503, down.StatusCode);
        Assert.Equal(Problems.TypePrefix + "store-unavailable", ((Dictionary<string, object?>)down.Body!)["type"]);
    }
}
