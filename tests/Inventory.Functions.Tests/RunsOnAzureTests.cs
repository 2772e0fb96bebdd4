using Inventory.Testing;
using System.Collections.Immutable;
using Inventory.Application;
using Inventory.Functions.Api;
using Inventory.Functions.Functions;
using Inventory.Storage;
using Inventory.Storage.Cosmos;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Inventory.Functions.Tests;

/// <summary>
/// What the Functions host adds around every invocation in Azure: HTTP functions fail fast on a throttled store, every
/// invocation is one operation for RU attribution, the meters reach the OpenTelemetry pipeline (and Application Insights
/// when its connection string is set), and health tells a missing container from a store that does not answer.
/// </summary>
public sealed class RunsOnAzureTests
{
    private static FunctionContext Context(string name, string triggerType)
    {
        var binding = new Mock<BindingMetadata>();
        binding.Setup(b => b.Type).Returns(triggerType);
        var definition = new Mock<FunctionDefinition>();
        definition.Setup(d => d.Name).Returns(name);
        definition.Setup(d => d.InputBindings).Returns(ImmutableDictionary<string, BindingMetadata>.Empty.Add("trigger", binding.Object));
        var context = new Mock<FunctionContext>();
        context.Setup(c => c.FunctionDefinition).Returns(definition.Object);
        return context.Object;
    }

    [Theory]
    [InlineData("httpTrigger", true)]
    [InlineData("serviceBusTrigger", false)]
    [InlineData("timerTrigger", false)]
    public async Task Only_HTTP_functions_call_the_store_with_fail_fast_patience(string trigger, bool interactive)
    {
        bool? seen = null;
        await new HttpCallsFailFast().Invoke(Context("F", trigger), _ => { seen = CosmosPatience.IsInteractive; return Task.CompletedTask; });

        Assert.Equal(interactive, seen);
        Assert.False(CosmosPatience.IsInteractive);
    }

    [Fact]
    public async Task Every_invocation_is_one_operation_named_after_its_function()
    {
        string? seen = null;
        await new OperationCostPerFunction().Invoke(Context("ReceivePurchaseOrder", "serviceBusTrigger"),
            _ => { seen = OperationCost.Active?.Operation; return Task.CompletedTask; });

        Assert.Equal("ReceivePurchaseOrder", seen);
        Assert.Null(OperationCost.Active);
    }

    private static IServiceCollection Telemetry(string? connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [Inventory.Functions.Telemetry.ConnectionStringSetting] = connectionString }).Build();
        return new ServiceCollection().AddLogging().AddInventoryTelemetry(configuration);
    }

    [Fact]
    public void The_service_meters_reach_the_OpenTelemetry_pipeline()
    {
        var exported = new List<Metric>();
        using var services = Telemetry(null).ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(exported)).BuildServiceProvider();
        var meters = services.GetRequiredService<MeterProvider>();

        using (OperationCost.Begin("telemetry-test")) OperationCost.Charge(4.5);
        meters.ForceFlush();

        Assert.Contains(exported, m => m.Name == InventoryMetrics.OperationRequestCharge && m.MeterName == InventoryMetrics.MeterName);
        Assert.Equal([InventoryMetrics.MeterName, RequestCharges.MeterName], Inventory.Functions.Telemetry.Meters);
    }

    [Fact]
    public void Application_Insights_receives_them_only_when_its_connection_string_is_set()
    {
        static bool ExportsToAzureMonitor(IServiceCollection services) => services
            .SelectMany(d => new[] { d.ServiceType, d.ImplementationType }.OfType<Type>().SelectMany(t => t.GetGenericArguments().Prepend(t)))
            .Any(t => t.Namespace?.StartsWith("Azure.Monitor.OpenTelemetry", StringComparison.Ordinal) == true);

        Assert.False(ExportsToAzureMonitor(Telemetry(null)));
        Assert.True(ExportsToAzureMonitor(Telemetry("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/")));
    }

    private static async Task<JsonResponse> HealthWhenThePingThrows(Exception error)
    {
        var store = new Mock<IDocumentStore>();
        store.Setup(s => s.Limits).Returns(CosmosDocumentStore.CosmosLimits);
        store.Setup(s => s.PingAsync(It.IsAny<CancellationToken>())).ThrowsAsync(error);
        var request = new DefaultHttpContext().Request;
        return Assert.IsType<JsonResponse>(await new ServiceFunctions(new InventoryApplication(store.Object).StoreHealth).Health(request, CancellationToken.None));
    }

    [Fact]
    public async Task Health_reports_a_missing_database_or_container_as_misconfiguration()
    {
        var health = await HealthWhenThePingThrows(new StoreMisconfiguredException(CosmosDocumentStore.CosmosLimits.StoreName, "Cosmos ping on products: the container or its database does not exist"));

        Assert.Equal(503, health.StatusCode);
        Assert.Contains("misconfigured", (string)((Dictionary<string, object?>)health.Body!)["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_a_store_that_does_not_answer_as_unavailable()
    {
        var health = await HealthWhenThePingThrows(new StoreUnavailableException(CosmosDocumentStore.CosmosLimits.StoreName, "down", 503));

        Assert.Equal(503, health.StatusCode);
        Assert.Contains("did not answer", (string)((Dictionary<string, object?>)health.Body!)["detail"]!, StringComparison.Ordinal);
    }
}

/// <summary>In Azure (Cosmos:CreateIfMissing false) start-up probes the store and logs a missing database or container as a critical configuration error.</summary>
public sealed class StartUpProbeTests
{
    private sealed class Captured : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public List<(Microsoft.Extensions.Logging.LogLevel Level, string Message)> Entries { get; } = [];
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this);
        public void Dispose() { }

        private sealed class Logger(Captured owner) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
                Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Entries) owner.Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }

    [Fact]
    public async Task A_missing_container_at_start_up_is_logged_as_a_critical_configuration_error()
    {
        var missing = new Microsoft.Azure.Cosmos.ResponseMessage(System.Net.HttpStatusCode.NotFound);
        missing.Headers["x-ms-substatus"] = "1003";
        var container = new Mock<Microsoft.Azure.Cosmos.Container>();
        container.Setup(c => c.ReadItemStreamAsync(It.IsAny<string>(), It.IsAny<Microsoft.Azure.Cosmos.PartitionKey>(),
            It.IsAny<Microsoft.Azure.Cosmos.ItemRequestOptions>(), It.IsAny<CancellationToken>())).ReturnsAsync(missing);
        var client = new Mock<Microsoft.Azure.Cosmos.CosmosClient>();
        client.Setup(c => c.GetContainer(It.IsAny<string>(), It.IsAny<string>())).Returns(container.Object);
        var log = new Captured();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Kind"] = "Cosmos", ["Cosmos:AccountEndpoint"] = "https://acct.documents.azure.com:443/", ["Cosmos:CreateIfMissing"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration)
            .AddLogging(l => l.AddProvider(log)).AddInventory(configuration);
        services.AddSingleton(new CosmosDocumentStore(client.Object, new CosmosStoreOptions { CreateIfMissing = false }));
        await using var provider = services.BuildServiceProvider();

        foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>()) await hosted.StartAsync(CancellationToken.None);

        var entry = Assert.Single(log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.Contains("Configuration error", entry.Message, StringComparison.Ordinal);
        container.Verify(c => c.ReadItemStreamAsync(CosmosDocumentStore.ProbeId, It.IsAny<Microsoft.Azure.Cosmos.PartitionKey>(),
            It.IsAny<Microsoft.Azure.Cosmos.ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}
