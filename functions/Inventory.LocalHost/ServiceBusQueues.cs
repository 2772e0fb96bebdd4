using Azure.Messaging.ServiceBus;
using Inventory.Functions;
using Inventory.Functions.Messaging;

namespace Inventory.LocalHost;

/// <summary>A [ServiceBusTrigger] function and the queue it consumes, its %setting% resolved.</summary>
public sealed record QueueConsumer(FunctionEntry Function, string QueueName);

public static class ServiceBusQueues
{
    /// <summary>The queue-triggered functions of the app, found as the Functions host finds them (no list kept here).</summary>
    public static IReadOnlyList<QueueConsumer> Discover(IEnumerable<FunctionEntry> functions, IConfiguration configuration) =>
        functions.Where(f => f.Trigger is ServiceBusTriggerAttribute)
            .Select(f => new QueueConsumer(f, AppSettings.Resolve(((ServiceBusTriggerAttribute)f.Trigger!).QueueName, configuration)))
            .ToArray();

    /// <summary>The trigger metadata the functions bind by name; the admin API makes up what it is not given (a fresh MessageId, first delivery).</summary>
    public static Dictionary<string, object?> Metadata(string? messageId, int? deliveryCount) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["MessageId"] = string.IsNullOrEmpty(messageId) ? "local-" + Guid.NewGuid().ToString("N") : messageId,
        ["DeliveryCount"] = deliveryCount ?? 1,
    };
}

/// <summary>
/// Consumes one queue with a ServiceBusProcessor when ServiceBusConnection is configured (a namespace, or the emulator),
/// calling the function through the same invoker as the admin API. Like the Functions host with autoCompleteMessages:
/// complete when the function returns (poison included: it quarantined the message), abandon when it throws, so Service
/// Bus redelivers and dead-letters after maxDeliveryCount. Concurrency and lock renewal follow host.json.
/// </summary>
public sealed class ServiceBusQueueConsumer(QueueConsumer consumer, ServiceBusClient client, IServiceProvider services, ILogger<ServiceBusQueueConsumer> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var processor = client.CreateProcessor(consumer.QueueName, new ServiceBusProcessorOptions
        {
            AutoCompleteMessages = false,
            MaxConcurrentCalls = 8,
            MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(5),
        });
        processor.ProcessMessageAsync += ProcessAsync;
        processor.ProcessErrorAsync += args =>
        {
            log.LogError(args.Exception, "Service Bus error on {Queue} ({Source})", consumer.QueueName, args.ErrorSource);
            return Task.CompletedTask;
        };
        log.LogInformation("Consuming queue {Queue} with {Function}", consumer.QueueName, consumer.Function.Name);
        await processor.StartProcessingAsync(stoppingToken);
        try { await Task.Delay(Timeout.Infinite, stoppingToken); }
        catch (OperationCanceledException) { }
        await processor.StopProcessingAsync(CancellationToken.None);
    }

    private async Task ProcessAsync(ProcessMessageEventArgs args)
    {
        var message = args.Message;
        try
        {
            await using var scope = services.CreateAsyncScope();
            await FunctionInvoker.InvokeAsync(consumer.Function, scope.ServiceProvider, message.Body.ToString(), args.CancellationToken,
                ServiceBusQueues.Metadata(message.MessageId, message.DeliveryCount));
            await args.CompleteMessageAsync(message, args.CancellationToken);
        }
        catch (Exception e) when (!args.CancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "{Function} failed on message {MessageId} (delivery {DeliveryCount}); abandoned for redelivery",
                consumer.Function.Name, message.MessageId, message.DeliveryCount);
            await args.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
        }
    }
}
