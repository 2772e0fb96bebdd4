using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>A message that could not be processed, kept with the reason so that nothing is lost silently.</summary>
public sealed record QuarantinedMessage(string Queue, string MessageId, string Reason, string Description, string Body, int DeliveryCount,
    DateTimeOffset QuarantinedAt);

/// <summary>
/// Where poison messages go when the host cannot dead-letter them itself: one partition per queue, one document per
/// message id, so a redelivered poison message is kept once.
/// </summary>
public sealed class Quarantine(IDocumentStore store, TimeProvider clock)
{
    public async Task<QuarantinedMessage> PutAsync(string queue, string messageId, string reason, string description, string body,
        int deliveryCount, CancellationToken ct = default)
    {
        var message = new QuarantinedMessage(queue, messageId, reason, description, body, deliveryCount, clock.GetUtcNow());
        // Message ids are the sender's; any that is not a safe key is stored under its hash.
        var key = Domain.Limits.IsValidId(messageId) ? messageId
            : "h-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)))[..32];
        await store.CommitAsync(Collection.Quarantine, queue, [new DocumentWrite.Upsert("msg|" + key, DocumentJson.Write(message))], ct);
        return message;
    }

    public async Task<IReadOnlyList<QuarantinedMessage>> ListAsync(string queue, int max = 100, CancellationToken ct = default) =>
        (await store.QueryAsync(Collection.Quarantine, queue, "msg|", max, null, ct)).Documents.Select(d => DocumentJson.Read<QuarantinedMessage>(d.Body)).ToArray();
}
