using System.Text.Json;
using Inventory.Application;
using Inventory.Domain;
using Inventory.Functions.Api;
using Inventory.Functions.Messaging;
using Inventory.Storage;

namespace Inventory.Functions.Tests.Messaging;

/// <summary>Which failures quarantine a message (its own fault) and which throw it back to Service Bus for redelivery.</summary>
public sealed class MessageFailureTests
{
    public static TheoryData<Exception, string> PoisonCases => new()
    {
        { new MalformedJsonException("'x' is an invalid start of a value"), "malformed-json" },
        { new JsonException("bad"), "malformed-json" },
        { new ValidationException("lines[0].quantity", "must be between 1 and 1000000000"), "validation-failed" },
        { new PurchaseOrderNotFoundException("po-x"), "purchase-order-not-found" },
        { new InvalidTransitionException("po-x", PurchaseOrderStatus.Draft, "receive"), "invalid-transition" },
        { new OverReceiptException("po-x", "p-1", 10, 11, 0), "over-receipt" },
        { new ProductNotFoundException("p-x"), "product-not-found" },
        { new LocationNotFoundException("l-x"), "location-not-found" },
        { new TransactionTooLargeException("too many"), "transaction-too-large" },
    };

    public static TheoryData<Exception, string> TransientCases => new()
    {
        { new ConcurrencyExhaustedException("products/p-1", 8), "concurrency-exhausted" },
        // A supplier's cancel that meets a receipt being applied: decided once the receipt is (found in review: was poison).
        { new ReceiptInProgressException("po-x", "r-1"), "receipt-in-progress" },
        { new SharedCommitFailedException("p-1", 3, new TimeoutException()), "shared-commit-failed" },
        { new CommitConflictException(ConflictKind.PreconditionFailed, "po"), "write-conflict" },
        { new StoreThrottledException("Azure Cosmos DB", "429", TimeSpan.FromSeconds(2)), "store-throttled" },
        { new StoreThrottledException("Azure Table Storage", "503 server busy", null, 503), "store-throttled" },
        { new StoreUnavailableException("Azure Cosmos DB", "down", 503), "store-unavailable" },
        { new StoreUnavailableException("Azure Table Storage", "connection refused"), "store-unavailable" },
        { new TimeoutException("slow"), "timeout" },
        { new TaskCanceledException("timed out"), "timeout" },
        { new HttpRequestException("reset"), "network" },
        { new InvalidOperationException("surprise"), "unexpected" },
    };

    [Theory]
    [MemberData(nameof(PoisonCases))]
    public void A_refusal_of_the_message_itself_is_poison(Exception e, string reason)
    {
        var failure = MessageFailure.Of(e);
        Assert.Equal((FailureKind.Poison, reason), (failure.Kind, failure.Reason));
        Assert.Equal(e.Message, failure.Description);
    }

    [Theory]
    [MemberData(nameof(TransientCases))]
    public void A_failure_of_the_service_or_anything_unknown_is_transient(Exception e, string reason)
    {
        var failure = MessageFailure.Of(e);
        Assert.Equal((FailureKind.Transient, reason), (failure.Kind, failure.Reason));
        Assert.False(failure.IsPoison);
    }
}
