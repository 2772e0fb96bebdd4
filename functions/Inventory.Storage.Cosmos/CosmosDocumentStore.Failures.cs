using System.Globalization;
using System.Net;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// Every failure of Cosmos becomes one of the port's: 429 is <see cref="StoreThrottledException"/> with the RetryAfter it
/// asked for; anything else that is not a commit conflict (503, timeouts, network, a refusal, the app's identity getting
/// no token) is <see cref="StoreUnavailableException"/>, except a 404 with a non-zero sub-status (1003: the database or
/// container named by the settings does not exist), which is <see cref="StoreMisconfiguredException"/> and never
/// "document not found".
/// Status, sub-status and activity id stay in the message, for the logs.
/// </summary>
public sealed partial class CosmosDocumentStore
{
    private static async Task<T> Guarded<T>(string operation, Collection collection, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (StoreFailure(e, operation, collection, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>The port's error for an SDK failure, or null for what is not the store's (a requested cancellation, the port's own errors, a bug).</summary>
    public static StoreFailureException? StoreFailure(Exception e, string operation, Collection collection, CancellationToken cancellationToken)
    {
        var what = $"Cosmos {operation} on {CosmosLayout.For(collection).Name}";
        return e switch
        {
            CosmosException { StatusCode: HttpStatusCode.TooManyRequests } c =>
                new StoreThrottledException(CosmosLimits.StoreName, $"{what} was throttled: {c.Message}", c.RetryAfter, 429, c),
            CosmosException { StatusCode: HttpStatusCode.NotFound, SubStatusCode: not 0 } c => Misconfigured(what, c.SubStatusCode, c.ActivityId),
            CosmosException c =>
                new StoreUnavailableException(CosmosLimits.StoreName, $"{what} failed (HTTP {(int)c.StatusCode} {c.StatusCode}, sub-status {c.SubStatusCode}, activity {c.ActivityId}): {c.Message}",
                    (int)c.StatusCode, c),
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            OperationCanceledException or TimeoutException or HttpRequestException or IOException =>
                new StoreUnavailableException(CosmosLimits.StoreName, $"{what} failed: {e.GetType().Name}: {e.Message}", null, e),
            AuthenticationFailedException => NoToken(what, e),
            _ => null,
        };
    }

    /// <summary>
    /// The app's identity got no token (its endpoint down or throttled, a role or client id not in place yet): the store
    /// cannot be reached, as in an outage. The credential's own text stays with the inner exception, out of the message.
    /// </summary>
    private static StoreUnavailableException NoToken(string what, Exception e) =>
        new(CosmosLimits.StoreName, $"{what} failed: the app's identity got no token for the store ({e.GetType().Name}).", null, e);

    private static void ThrowIfFailed(ResponseMessage response, string operation, Collection collection)
    {
        if (response.IsSuccessStatusCode) return;
        var what = $"Cosmos {operation} on {CosmosLayout.For(collection).Name}";
        var activityId = response.Headers?.ActivityId ?? "?";
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new StoreThrottledException(CosmosLimits.StoreName, $"{what} was throttled: {response.ErrorMessage} (activity {activityId})", RetryAfter(response.Headers));
        var subStatus = SubStatus(response);
        if (response.StatusCode == HttpStatusCode.NotFound && subStatus != 0) throw Misconfigured(what, subStatus, activityId);
        throw new StoreUnavailableException(CosmosLimits.StoreName,
            $"{what} failed: {response.ErrorMessage} (HTTP {(int)response.StatusCode} {response.StatusCode}, sub-status {subStatus}, activity {activityId})",
            (int)response.StatusCode);
    }

    private static StoreMisconfiguredException Misconfigured(string what, int subStatus, string? activityId) =>
        new(CosmosLimits.StoreName, $"{what}: the container or its database does not exist, a configuration error: check Cosmos:DatabaseName and " +
            $"the infrastructure (HTTP 404, sub-status {subStatus}, activity {activityId ?? "?"})");

    private static int SubStatus(ResponseMessage response) => int.TryParse(response.Headers?["x-ms-substatus"], out var s) ? s : 0;

    private static TimeSpan? RetryAfter(Headers? headers) =>
        double.TryParse(headers?["x-ms-retry-after-ms"], CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
}
