using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Inventory.Functions;
using Inventory.Functions.Api;

namespace Inventory.LocalHost;

/// <summary>The functions this host serves, as discovered in the Functions assembly.</summary>
public sealed record LocalFunctionSet(IReadOnlyList<FunctionEntry> Functions)
{
    public FunctionEntry? Find(string name) => Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Body of POST /admin/functions/{name}, as the Functions host's admin API takes it, plus optional trigger metadata
/// (the Functions host has none): <c>{"input": "...", "metadata": {"messageId": "m-1", "deliveryCount": 2}}</c>, or
/// <c>{"metadata": {"isPastDue": true}}</c> for a timer.
/// </summary>
public sealed record AdminInvocation(string? Input, Dictionary<string, JsonElement>? Metadata);

public static class LocalFunctions
{
    public const string RoutePrefix = "api";

    public static IServiceCollection AddLocalFunctions(this IServiceCollection services, IReadOnlyList<FunctionEntry> functions, IConfiguration configuration)
    {
        services.AddSingleton(new LocalFunctionSet(functions));
        if (configuration.GetValue("LocalHost:RunTimers", true))
            foreach (var timer in functions.Where(f => f.Trigger is Microsoft.Azure.Functions.Worker.TimerTriggerAttribute))
                services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<TimerSchedule>(sp, timer));
        if (InventoryServices.ServiceBusConnection(configuration).IsSet)
            foreach (var queue in ServiceBusQueues.Discover(functions, configuration))
                services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ServiceBusQueueConsumer>(sp, queue));
        return services;
    }

    /// <summary>Maps every HTTP function on its own route and methods under /api, and the admin API for the others.</summary>
    public static WebApplication MapLocalFunctions(this WebApplication app)
    {
        var set = app.Services.GetRequiredService<LocalFunctionSet>();
        app.UseStatusCodePages(ProblemForEmptyAnswerAsync);
        foreach (var function in set.Functions)
        {
            if (function.Http is not { } http) continue;
            app.MapMethods($"/{RoutePrefix}/{http.Route}", http.Methods, async context =>
                {
                    using var patience = Inventory.Storage.Cosmos.CosmosPatience.Interactive(); // as HttpCallsFailFast in the Functions host
                    await FunctionInvoker.InvokeHttpAsync(function, context);
                })
                .WithName(function.Name);
        }
        // The console also at /console/ (the Functions host can only serve it under /api).
        if (set.Find("Console") is { Http: { } console } consoleFunction)
            app.MapMethods("/" + console.Route, console.Methods, context => FunctionInvoker.InvokeHttpAsync(consoleFunction, context));
        app.MapPost("/admin/functions/{name}", InvokeByAdminAsync);
        return app;
    }

    /// <summary>202 once the function has run (the Functions host answers 202 before; waiting is more useful for scripts and tests).</summary>
    private static async Task<IResult> InvokeByAdminAsync(HttpContext context, string name, LocalFunctionSet set, ILoggerFactory logs)
    {
        var function = set.Find(name);
        if (function is null) return Problem(404, "function-not-found", $"No function named '{name}'.");
        if (function.Http is not null) return Problem(400, "http-function", $"'{function.Name}' is an HTTP function: call its route instead.");
        AdminInvocation? invocation = null;
        try
        {
            if (context.Request.ContentLength is null or > 0)
                // Whatever the content type: the documented `curl -d '{}'` sends application/x-www-form-urlencoded.
                invocation = await JsonSerializer.DeserializeAsync<AdminInvocation>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted);
        }
        catch (JsonException e) { return Problem(400, "malformed-json", e.Message); }
        var metadata = (invocation?.Metadata ?? []).ToDictionary(m => m.Key, m => (object?)m.Value, StringComparer.OrdinalIgnoreCase);
        if (function.Trigger is Inventory.Functions.Messaging.ServiceBusTriggerAttribute)
            foreach (var (key, value) in ServiceBusQueues.Metadata(null, null)) metadata.TryAdd(key, value);
        try
        {
            await FunctionInvoker.InvokeAsync(function, context.RequestServices, invocation?.Input, context.RequestAborted, metadata);
            return Results.Accepted();
        }
        catch (TriggerMetadataException e) { return Problem(400, "validation-failed", e.Message); }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            logs.CreateLogger("Inventory.LocalHost.Admin").LogError(e, "Function {Name} failed", function.Name);
            return Problem(500, "function-failed", $"'{function.Name}' failed: {e.Message}");
        }
    }

    /// <summary>
    /// What Kestrel's routing answers with no body (a path no function serves, a method its route does not take) as the
    /// problem every other refusal is; a function's own answers always have a body and are left alone.
    /// </summary>
    private static Task ProblemForEmptyAnswerAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var (code, detail) = context.Response.StatusCode switch
        {
            404 => ("route-not-found", $"No function serves {context.Request.Path}."),
            405 => ("method-not-allowed", $"{context.Request.Path} does not take {context.Request.Method}; it takes {context.Response.Headers.Allow}."),
            _ => (null, null),
        };
        if (code is null) return Task.CompletedTask;
        var problem = Problems.Of(code, detail!, context.Request);
        return problem.ExecuteResultAsync(new Microsoft.AspNetCore.Mvc.ActionContext(context, context.GetRouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
    }

    private static IResult Problem(int status, string code, string detail) =>
        Results.Problem(detail, statusCode: status, title: code, type: Problems.TypePrefix + code, extensions: new Dictionary<string, object?> { ["code"] = code });
}
