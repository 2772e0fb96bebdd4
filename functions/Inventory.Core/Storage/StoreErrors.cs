namespace Inventory.Storage;

/// <summary>
/// The store could not serve a call, whichever store it is. Adapters translate their SDK's failures into the two kinds
/// below, so nothing above the port knows which SDK is underneath. The message is for logs (it may name partitions and
/// activity ids); hosts answer with <see cref="Store"/> only.
/// </summary>
public abstract class StoreFailureException(string store, string message, int? status, Exception? inner)
    : Exception(message, inner)
{
    /// <summary>Which kind of store failed ("Azure Table Storage", "Azure Cosmos DB"): <see cref="StoreLimits.StoreName"/>.</summary>
    public string Store { get; } = store;

    /// <summary>The store's HTTP status when it answered at all (null for a network failure).</summary>
    public int? Status { get; } = status;
}

/// <summary>The store is unreachable or failed (outage, network, timeout, refusal): retry later. A commit may or may not have applied; every operation is idempotent.</summary>
public sealed class StoreUnavailableException(string store, string message, int? status = null, Exception? inner = null)
    : StoreFailureException(store, message, status, inner);

/// <summary>
/// The store answered that what the settings name does not exist (a Cosmos database or container): a configuration error,
/// reported at start-up and by health, answered 503 like an outage, and never read as "document not found".
/// </summary>
public sealed class StoreMisconfiguredException(string store, string message, int? status = 404)
    : StoreFailureException(store, message, status, null);

/// <summary>The store refused for lack of capacity (429, busy) after its own retries; <see cref="RetryAfter"/> is when it asked to be tried again.</summary>
public sealed class StoreThrottledException(string store, string message, TimeSpan? retryAfter, int? status = 429, Exception? inner = null)
    : StoreFailureException(store, message, status, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A commit beyond what one transaction of the store may carry (its limits are named in the message). Nothing was written.</summary>
public sealed class TransactionTooLargeException(string message) : Exception(message)
{
    public const string Code = "transaction-too-large";
}

/// <summary>A continuation token this store did not issue (or issued for another query). The caller decides how to refuse it.</summary>
public sealed class InvalidContinuationTokenException() : Exception("The continuation token is not one this store issued for this query.");
