using System.Net;

namespace Inventory.Storage.Cosmos;

/// <summary>A Cosmos call failed for a reason that is not a commit conflict: the status, sub-status and activity id say why.</summary>
public class CosmosStoreException(string message, HttpStatusCode status, int subStatus = 0, string? activityId = null)
    : Exception($"{message} (HTTP {(int)status} {status}, sub-status {subStatus}, activity {activityId ?? "?"})")
{
    public HttpStatusCode Status { get; } = status;
    public int SubStatus { get; } = subStatus;
    public string? ActivityId { get; } = activityId;
}

/// <summary>
/// Cosmos kept refusing for lack of throughput (429) after the SDK's retries and the store's own: nothing was written.
/// Hosts answer 503 with Retry-After; raise the container's RU/s or spread the load if it persists.
/// </summary>
public sealed class CosmosThrottledException(string message, TimeSpan? retryAfter, string? activityId = null)
    : CosmosStoreException(message, HttpStatusCode.TooManyRequests, 0, activityId)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
