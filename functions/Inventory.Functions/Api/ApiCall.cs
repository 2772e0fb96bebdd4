using Inventory.Application;
using Inventory.Domain;
using Inventory.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions.Api;

/// <summary>What every HTTP function does around its one call: refusals become problem responses, surprises a logged 500.</summary>
public static class ApiCall
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, Func<Task<IActionResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (Exception e) when (Problems.For(e, request) is { } problem)
        {
            if (e is StoreFailureException s) Log(request)?.LogWarning(e, "{Store} failed on {Method} {Path}", s.Store, request.Method, request.Path);
            return problem;
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Log(request)?.LogError(e, "Unhandled error on {Method} {Path}", request.Method, request.Path);
            return Problems.Of("internal-error", "The request failed unexpectedly; it may or may not have been applied. Retrying it is safe.", request);
        }
    }

    private static ILogger? Log(HttpRequest request) =>
        request.HttpContext.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(ApiCall).FullName!);
}
