using Inventory.Application;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Inventory.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

/// <summary>Routes about the service itself: whether its store answers, and the description of its API.</summary>
public sealed class ServiceFunctions(StoreHealth storeHealth)
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    [Function("Health")]
    [ApiOperation("200 when the store answers, 503 otherwise", Response = typeof(HealthReport), Tag = "service")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "health")] HttpRequest req, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(PingTimeout);
        try
        {
            await storeHealth.PingAsync(timeout.Token);
            return JsonResponse.Ok(new HealthReport("healthy", storeHealth.StoreName));
        }
        catch (StoreMisconfiguredException)
        {
            return Problems.StoreUnavailable(storeHealth.StoreName, $"{storeHealth.StoreName} is misconfigured: its database or a container does not exist " +
                "(check the store settings and the infrastructure).", 60, req);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return Problems.StoreUnavailable(storeHealth.StoreName, $"{storeHealth.StoreName} did not answer.", 1, req);
        }
    }

    [Function("OpenApi")]
    [ApiOperation("This document: OpenAPI 3.1 of every route", Tag = "service")]
    public static IActionResult OpenApi([HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi.json")] HttpRequest req) =>
        JsonResponse.Ok(ApiDescription.Document);
}
