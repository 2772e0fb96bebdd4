using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>A message that could not be processed, kept with the reason so that nothing is lost silently.</summary>
public sealed record QuarantinedMessage(string Queue, string MessageId, string Reason, string Description, string Body, int DeliveryCount,
    DateTimeOffset QuarantinedAt);

/// <summary>
/// Where poison messages go when the host cannot dead-letter them itself: one partition per queue, one document per
/// message id and body, so a redelivered poison message is kept once and another under the same id is kept too.
/// </summary>
public sealed partial class Quarantine(IDocumentStore store, TimeProvider clock)
{
    public async Task<QuarantinedMessage> PutAsync(string queue, string messageId, string reason, string description, string body,
        int deliveryCount, CancellationToken ct = default)
    {
        var message = Fit(new QuarantinedMessage(queue, messageId, reason, description, body, deliveryCount, clock.GetUtcNow()), store.Limits.MaxDocumentBytes);
        // Message ids are the sender's; any that is not a safe key is stored under its hash. The body's hash follows it:
        // a redelivery (same id, same body) is kept once, while another message under the same id (the queues do not
        // detect duplicates, and a sender may reuse ids) is kept beside it, not over it. '!' sorts below every character
        // of an id, so the list stays in message id order ('rcv-1' before 'rcv-1.5' and 'rcv-10').
        var idKey = Prefix + (Domain.Limits.IsValidId(messageId) ? messageId : "h-" + Hash(messageId)[..32]);
        var key = await IsKeptUnderItsIdAloneAsync(queue, idKey, message.Body, ct) ? idKey : idKey + "!" + Hash(body)[..16];
        await store.CommitAsync(Collection.Quarantine, queue, [new DocumentWrite.Upsert(key, DocumentJson.Write(message))], ct);
        InventoryMetrics.Quarantine(queue, reason);
        return message;
    }

    /// <summary>Whether this message was kept before the body's hash was in the key (2026-12-02), under its id alone: kept there again.</summary>
    private async Task<bool> IsKeptUnderItsIdAloneAsync(string queue, string idKey, string body, CancellationToken ct) =>
        (await store.ReadAsync(Collection.Quarantine, queue, [idKey], [], ct)) is [var old]
        && DocumentJson.Read<QuarantinedMessage>(old.Body).Body == body;

    private static string Hash(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private const string Prefix = "msg|";

    /// <summary>
    /// A page of the queue's messages in message id order (the store's page: it may be short), each with its quarantine
    /// id (what <see cref="DismissAsync"/> takes: its key and its version, so a dismissal knows what the operator read),
    /// and where the next goes on.
    /// </summary>
    public async Task<(IReadOnlyList<(string QuarantineId, QuarantinedMessage Message)> Messages, string? ContinuationToken)> PageAsync(string queue,
        int pageSize, string? token, CancellationToken ct = default)
    {
        var page = await store.QueryAsync(Collection.Quarantine, queue, Prefix, pageSize, token, ct);
        return (page.Documents.Select(d => ($"{d.Id[Prefix.Length..]}~{Version(d.ETag)}", DocumentJson.Read<QuarantinedMessage>(d.Body))).ToArray(),
            page.ContinuationToken);
    }

    /// <summary>
    /// An operator's "handled": the message, as listed, leaves the queue's quarantine. One quarantined again since it was
    /// listed (a redelivery: another delivery count, maybe another reason) is refused, so the operator reads it again.
    /// An id of another shape (not one a listing gives) names nothing kept.
    /// </summary>
    public async Task DismissAsync(string queue, string quarantineId, CancellationToken ct = default)
    {
        if (QuarantineIdShape().Match(quarantineId) is not { Success: true } shape) throw new QuarantinedMessageNotFoundException(queue, quarantineId);
        var found = await store.ReadAsync(Collection.Quarantine, queue, [Prefix + shape.Groups["key"].Value], [], ct);
        if (found.Count == 0) throw new QuarantinedMessageNotFoundException(queue, quarantineId);
        if (Version(found[0].ETag) != shape.Groups["version"].Value
            || !await OptimisticConcurrency.TryCommitAsync(store, Collection.Quarantine, queue, [new DocumentWrite.Delete(found[0].Id, found[0].ETag)], ct))
            throw new Domain.InvalidStateException($"Message '{quarantineId}' of '{queue}' was quarantined again since it was listed: read it again.");
    }

    /// <summary>A listed document's version: its ETag, shortened ('~' is in no id, so it cannot be part of the key).</summary>
    private static string Version(string etag) => Hash(etag)[..8];

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<key>[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}(![0-9a-f]{16})?)~(?<version>[0-9a-f]{8})\z")]
    private static partial System.Text.RegularExpressions.Regex QuarantineIdShape();

    /// <summary>Up to <paramref name="max"/> messages, following the pages (which may be short) until there are no more.</summary>
    public async Task<IReadOnlyList<QuarantinedMessage>> ListAsync(string queue, int max = 100, CancellationToken ct = default)
    {
        var found = new List<QuarantinedMessage>();
        string? token = null;
        do
        {
            (var page, token) = await PageAsync(queue, max - found.Count, token, ct);
            found.AddRange(page.Select(m => m.Message));
        } while (token is not null && found.Count < max);
        return found;
    }

    /// <summary>Room left in a document for what the store adds (keys, envelope) beyond the JSON.</summary>
    private const int Margin = 1024;

    /// <summary>
    /// The message cut to fit one document of the store, whatever the size of what was sent: the body (and a long
    /// description) keep their start and say how long they were. Sizes count the larger of UTF-16 (Table) and UTF-8.
    /// </summary>
    public static QuarantinedMessage Fit(QuarantinedMessage message, int maxDocumentBytes)
    {
        var room = maxDocumentBytes - Margin;
        if (message.Description.Length > 2000) message = message with { Description = message.Description[..2000] + "…(cut)" };
        var size = Size(message);
        var keep = message.Body.Length;
        var fitted = message;
        while (size > room && keep > 0)
        {
            // Shrink in proportion to the excess (escaping makes a character cost up to 12 bytes), then check again.
            keep = Math.Max(0, Math.Min(keep - 1, (int)(keep * ((double)room / size)) - 64));
            fitted = message with { Body = message.Body[..keep] + $"…(cut: {message.Body.Length} characters, kept {keep})" };
            size = Size(fitted);
        }
        return fitted;
    }

    private static long Size(QuarantinedMessage message)
    {
        var json = DocumentJson.Write(message);
        return Math.Max(json.Length * 2L, System.Text.Encoding.UTF8.GetByteCount(json));
    }
}

/// <summary>No message is kept in the queue's quarantine under that id (never, or dismissed already).</summary>
public sealed class QuarantinedMessageNotFoundException(string queue, string quarantineId)
    : Domain.DomainException("message-not-found", $"No message '{quarantineId}' is kept in the quarantine of '{queue}'.")
{
    public string Queue { get; } = queue;
    public string QuarantineId { get; } = quarantineId;
}
