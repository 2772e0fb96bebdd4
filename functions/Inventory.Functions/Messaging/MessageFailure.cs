using System.Text.Json;
using Inventory.Application;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Functions.Messaging;

public enum FailureKind
{
    /// <summary>The message itself is refused (bad JSON, invalid, unknown PO, invalid transition, over-receipt): every redelivery would fail alike.</summary>
    Poison,
    /// <summary>The service could not finish now (store down, throttled, contention, timeout): a redelivery may succeed.</summary>
    Transient,
}

/// <summary>
/// Why a queue message failed, and so what becomes of it. Poison is kept in the quarantine and completed, so the queue
/// moves on and nothing is lost; transient is thrown, so Service Bus redelivers it and dead-letters it after the queue's
/// maxDeliveryCount. Anything not known to be the message's own fault counts as transient: a redelivery costs little,
/// and a message wrongly quarantined would need an operator.
/// </summary>
public sealed record MessageFailure(FailureKind Kind, string Reason, string Description)
{
    public bool IsPoison => Kind == FailureKind.Poison;

    public static MessageFailure Of(Exception e) => e switch
    {
        // Contention, not the message: the same message goes through once the other writers are done.
        ConcurrencyExhaustedException c => Transient(c.Code, c.Message),
        // A cancel that meets a receipt being applied: once it is applied, the cancel is decided on what is left.
        ReceiptInProgressException r => Transient(r.Code, r.Message),
        DomainException d => new(FailureKind.Poison, d.Code, d.Message),
        JsonException j => new(FailureKind.Poison, "malformed-json", j.Message),
        SharedCommitFailedException s => Transient("shared-commit-failed", s.Message),
        CommitConflictException c => Transient("write-conflict", c.Message),
        // A storage limit: the message asks for more than one transaction can carry, every redelivery would too.
        TransactionTooLargeException t => new(FailureKind.Poison, TransactionTooLargeException.Code, t.Message),
        StoreThrottledException t => Transient("store-throttled", t.Message),
        StoreUnavailableException s => Transient("store-unavailable", s.Message),
        TimeoutException or OperationCanceledException => Transient("timeout", e.Message),
        HttpRequestException or IOException => Transient("network", e.Message),
        _ => Transient("unexpected", $"{e.GetType().Name}: {e.Message}"),
    };

    private static MessageFailure Transient(string reason, string description) => new(FailureKind.Transient, reason, description);
}
