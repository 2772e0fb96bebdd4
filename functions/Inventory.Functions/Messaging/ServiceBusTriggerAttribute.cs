using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Inventory.Functions.Messaging;

/// <summary>
/// A Service Bus queue trigger declared without the Service Bus worker extension package, which the offline registry
/// does not serve. The Functions SDK names a binding after its attribute class (ServiceBusTriggerAttribute →
/// <c>serviceBusTrigger</c>) and writes its constructor arguments and set properties into functions.metadata, so the
/// host sees the same binding as with the package; the host extension that runs it comes with the packaging switch
/// (<c>-p:IncludeServiceBusExtension=true</c>). The body binds as a string; MessageId and DeliveryCount bind from the
/// trigger metadata by parameter name.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ServiceBusTriggerAttribute(string queueName) : TriggerBindingAttribute
{
    /// <summary>The queue, usually a flat app setting: <c>%ReceiptsQueueName%</c> (the scale controller resolves only those).</summary>
    public string QueueName { get; } = queueName;

    /// <summary>The connection setting (a connection string, or a section with fullyQualifiedNamespace for managed identity).</summary>
    public string? Connection { get; set; }

    /// <summary>False: one message per invocation (cardinality one).</summary>
    public bool IsBatched { get; set; }

    /// <summary>True: the host completes a message when the function returns and abandons it when it throws.</summary>
    public bool AutoCompleteMessages { get; set; } = true;
}
