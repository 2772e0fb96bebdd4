using Inventory.Testing;
using Inventory.Functions.Messaging;
using Inventory.LocalHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Inventory.Functions.Tests;

/// <summary>
/// What the local host can show without a Service Bus here: it finds the queue-triggered functions and their queues as
/// the Functions host would, consumes them only when ServiceBusConnection is set, and binds trigger metadata by name.
/// (Consuming a real queue needs a namespace or the emulator, which need network or Docker: not run here.)
/// </summary>
public sealed class LocalHostQueuesTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] extra) => new ConfigurationBuilder()
        .AddInMemoryCollection(Inventory.LocalHost.Program.Defaults).AddInMemoryCollection(extra.ToDictionary(e => e.Key, e => (string?)e.Value)).Build();

    [Fact]
    public void Both_queue_functions_are_discovered_with_their_queue_settings_resolved()
    {
        var queues = ServiceBusQueues.Discover(FunctionCatalog.Discover(), Settings(("ReceiptsQueueName", "receipts-test")));

        Assert.Equal([("HandlePurchaseOrderEvent", "purchase-order-events"), ("ReceivePurchaseOrder", "receipts-test")],
            queues.Select(q => (q.Function.Name, q.QueueName)).OrderBy(q => q.Name, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("Endpoint=sb://localhost;SharedAccessKeyName=k;SharedAccessKey=c2VjcmV0;UseDevelopmentEmulator=true;", 2)]
    public async Task Queues_are_consumed_only_when_ServiceBusConnection_is_set(string? connection, int consumers)
    {
        var settings = connection is null ? Settings(("LocalHost:RunTimers", "false"))
            : Settings(("LocalHost:RunTimers", "false"), ("ServiceBusConnection", connection));
        await using var services = new ServiceCollection().AddSingleton(settings).AddLogging().AddInventory(settings)
            .AddLocalFunctions(FunctionCatalog.Discover(), settings).BuildServiceProvider();

        Assert.Equal(consumers, services.GetServices<IHostedService>().OfType<ServiceBusQueueConsumer>().Count());
    }

    [Fact]
    public async Task The_invoker_binds_the_body_and_the_metadata_by_parameter_name()
    {
        var function = FunctionCatalog.Discover().Single(f => f.Name == "HandlePurchaseOrderEvent");
        var app = new Testing.InventoryApplication(new Testing.InMemoryDocumentStore());
        var services = new ServiceCollection().AddSingleton(app.ReceivePurchaseOrder).AddSingleton(app.HandlePurchaseOrderEvent).AddSingleton(app.Quarantine).AddSingleton(new QueueNames()).AddLogging()
            .AddSingleton<QueueIntake>().BuildServiceProvider();

        await FunctionInvoker.InvokeAsync(function, services, "not json", default, ServiceBusQueues.Metadata("m-42", 3));

        var kept = Assert.Single(await app.Quarantine.ListAsync("purchase-order-events"));
        Assert.Equal(("m-42", 3, "malformed-json", "not json"), (kept.MessageId, kept.DeliveryCount, kept.Reason, kept.Body));
    }

    [Fact]
    public void Missing_metadata_is_made_up_as_a_first_delivery_with_a_fresh_id()
    {
        var a = ServiceBusQueues.Metadata(null, null);
        var b = ServiceBusQueues.Metadata("", null);
        Assert.Equal(1, a["DeliveryCount"]);
        Assert.StartsWith("local-", (string)a["MessageId"]!, StringComparison.Ordinal);
        Assert.NotEqual(a["MessageId"], b["MessageId"]);
        Assert.Equal(("m-1", 4), ((string)ServiceBusQueues.Metadata("m-1", 4)["messageId"]!, (int)ServiceBusQueues.Metadata("m-1", 4)["deliveryCount"]!));
    }
}
