using System.Text.Json.Nodes;

namespace Inventory.Infra.Tests;

/// <summary>The Service Bus queues Bicep creates are the ones the app settings name, configured for at-least-once handling.</summary>
[Collection(InfraCollection.Name)]
public sealed class QueuesMatchTheAppSettings(InfraTemplate infra)
{
    private static readonly string[] QueueSettings = ["ReceiptsQueueName", "PurchaseOrderEventsQueueName", "PurchaseOrdersQueueName"];

    private IEnumerable<JsonObject> CreatedQueues => infra.Cosmos.Resources("Microsoft.ServiceBus/namespaces/queues");

    [Fact]
    public void The_created_queues_are_exactly_those_the_Azure_settings_name() =>
        Assert.Equal(
            QueueSettings.Select(s => infra.Cosmos.AppSettings[s]).Order(StringComparer.Ordinal),
            CreatedQueues.Select(Snapshot.ShortName).Order(StringComparer.Ordinal));

    [Fact]
    public void The_local_sample_names_the_same_queues() =>
        Assert.Equal(QueueSettings.Select(s => infra.Cosmos.AppSettings[s]), QueueSettings.Select(s => LocalSettings.Values[s]));

    [Fact]
    public void The_queues_have_the_names_senders_are_told() =>
        Assert.Equal(["purchase-order-events", "purchase-orders", "receipts"], CreatedQueues.Select(Snapshot.ShortName).Order(StringComparer.Ordinal));

    [Fact]
    public void Every_queue_dead_letters_expired_and_repeatedly_failing_messages() => Assert.All(CreatedQueues, queue =>
    {
        var properties = queue["properties"]!;
        Assert.True((bool)properties["deadLetteringOnMessageExpiration"]!);
        Assert.InRange((int)properties["maxDeliveryCount"]!, 3, 20);
    });

    [Fact]
    public void The_Service_Bus_emulator_has_the_same_queues_with_the_same_handling()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraTemplate.RepoRoot, "tools", "emulators", "servicebus-config.json")))!;
        var emulated = config["UserConfig"]!["Namespaces"]![0]!["Queues"]!.AsArray()
            .ToDictionary(q => (string)q!["Name"]!, q => q!["Properties"]!, StringComparer.Ordinal);
        Assert.Equal(CreatedQueues.Select(Snapshot.ShortName).Order(StringComparer.Ordinal), emulated.Keys.Order(StringComparer.Ordinal));
        Assert.All(CreatedQueues, queue =>
        {
            var (azure, local) = (queue["properties"]!, emulated[Snapshot.ShortName(queue)]);
            Assert.Equal((int)azure["maxDeliveryCount"]!, (int)local["MaxDeliveryCount"]!);
            Assert.Equal((bool)azure["deadLetteringOnMessageExpiration"]!, (bool)local["DeadLetteringOnMessageExpiration"]!);
            Assert.Equal((bool)azure["requiresDuplicateDetection"]!, (bool)local["RequiresDuplicateDetection"]!);
        });
    }

    [Fact]
    public void Only_the_outbound_purchase_order_queue_drops_duplicate_message_ids() =>
        Assert.Equal(["purchase-orders"], CreatedQueues.Where(q => (bool)q["properties"]!["requiresDuplicateDetection"]!).Select(Snapshot.ShortName));
}
