using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Inventory.Application;
using Inventory.Storage;
using Inventory.Storage.Cosmos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Inventory.Functions;

/// <summary>
/// The worker's telemetry through OpenTelemetry: the Functions worker's own traces and logs, the service's meters
/// (<see cref="InventoryMetrics"/>: reservations, conflicts, coalesced batch sizes, quarantined messages, RU per
/// operation; the Cosmos store's RU per call), exported to Application Insights when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set, authenticated with the app's managed identity (local auth is off).
/// </summary>
public static class Telemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static readonly string[] Meters = [InventoryMetrics.MeterName, RequestCharges.MeterName];

    public static IServiceCollection AddInventoryTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(Meters));
        if (configuration[ConnectionStringSetting] is { Length: > 0 } connectionString)
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                // AZURE_CLIENT_ID names the user-assigned identity, which holds Monitoring Metrics Publisher.
                options.Credential = new DefaultAzureCredential();
            });
        return services;
    }
}

/// <summary>Charges every store call of a function invocation to one operation named after the function (<see cref="OperationCost"/>).</summary>
public sealed class OperationCostPerFunction : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        using var cost = OperationCost.Begin(context.FunctionDefinition.Name);
        await next(context);
    }
}
