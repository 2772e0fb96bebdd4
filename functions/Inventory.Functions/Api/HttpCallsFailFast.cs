using Inventory.Storage.Cosmos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Inventory.Functions.Api;

/// <summary>
/// Runs HTTP-triggered functions with the store's fail-fast patience (<see cref="CosmosPatience"/>): a throttled store
/// answers the caller 503 with Retry-After within seconds instead of holding the request for the SDK's 30 s of retries.
/// Queue and timer functions keep the patient defaults.
/// </summary>
public sealed class HttpCallsFailFast : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!IsHttp(context))
        {
            await next(context);
            return;
        }
        using (CosmosPatience.Interactive()) await next(context);
    }

    public static bool IsHttp(FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => string.Equals(b.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase));
}
