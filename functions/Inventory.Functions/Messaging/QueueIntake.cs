using System.Text;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Functions.Api;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions.Messaging;

/// <summary>
/// What every queue function does around its one call: parse the body as strictly as an HTTP request, run the use
/// case, and on failure either quarantine the message (poison: logged, then completed normally) or throw (transient:
/// Service Bus redelivers). See <see cref="MessageFailure"/> for which is which.
/// </summary>
public sealed class QueueIntake(Quarantine quarantine, ILogger<QueueIntake> log)
{
    public async Task HandleAsync<TBody>(string queue, string? body, string? messageId, int deliveryCount,
        Func<TBody, CancellationToken, Task<string>> handle, CancellationToken ct) where TBody : class
    {
        messageId = string.IsNullOrEmpty(messageId) ? "no-id-" + Guid.NewGuid().ToString("N") : messageId;
        try
        {
            var message = JsonBody.Parse<TBody>(Encoding.UTF8.GetBytes(body ?? ""))
                ?? throw new ValidationException("body", "must be a JSON object");
            var outcome = await handle(message, ct);
            log.LogInformation("{Queue} message {MessageId} (delivery {DeliveryCount}): {Outcome}", queue, messageId, deliveryCount, outcome);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var failure = MessageFailure.Of(e);
            if (!failure.IsPoison)
            {
                log.LogWarning(e, "{Queue} message {MessageId} (delivery {DeliveryCount}) failed transiently ({Reason}); Service Bus will redeliver it",
                    queue, messageId, deliveryCount, failure.Reason);
                throw;
            }
            // The quarantine keeps as much of the body as one document of the store holds (Quarantine.Fit).
            await quarantine.PutAsync(queue, messageId, failure.Reason, failure.Description, body ?? "", deliveryCount, ct);
            log.LogError("{Queue} message {MessageId} (delivery {DeliveryCount}) quarantined as {Reason}: {Description} (listed at GET /api/quarantine/<queue>)",
                queue, messageId, deliveryCount, failure.Reason, failure.Description);
        }
    }
}
