using System.Reflection;
using System.Text.Json;
using Inventory.Functions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.LocalHost;

/// <summary>
/// Calls a function method the way the isolated worker would, for the parameter kinds this app uses: the HttpRequest,
/// route values by parameter name, a CancellationToken, a TimerInfo, a non-HTTP trigger's input, and trigger metadata
/// (MessageId, DeliveryCount, IsPastDue) by parameter name. A function that asks for something else fails with a
/// message that names it, rather than receiving a default.
/// </summary>
public static class FunctionInvoker
{
    /// <summary>Runs an HTTP function for this request and writes its result to the response.</summary>
    public static async Task InvokeHttpAsync(FunctionEntry function, HttpContext context)
    {
        var args = function.Method.GetParameters().Select(object? (p) => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(HttpContext) => context,
            var t when t == typeof(CancellationToken) => context.RequestAborted,
            var t when t == typeof(string) && context.Request.RouteValues.TryGetValue(p.Name!, out var value) => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw Unsupported(function, p),
        }).ToArray();
        var result = await CallAsync(function, context.RequestServices, args);
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType(), context.RequestAborted);
                break;
        }
    }

    /// <summary>
    /// Runs a non-HTTP function with an input (a timer ignores it, as the Functions host does) and trigger metadata, whose
    /// keys match parameter names case-insensitively as the worker's binding data does; a timer reads IsPastDue from it.
    /// </summary>
    public static Task<object?> InvokeAsync(FunctionEntry function, IServiceProvider services, string? input, CancellationToken ct,
        IReadOnlyDictionary<string, object?>? metadata = null)
    {
        var data = new Dictionary<string, object?>(metadata ?? new Dictionary<string, object?>(), StringComparer.OrdinalIgnoreCase);
        var args = function.Method.GetParameters().Select(object? (p) => p.ParameterType switch
        {
            var t when t == typeof(CancellationToken) => ct,
            var t when t == typeof(TimerInfo) => new TimerInfo { IsPastDue = data.TryGetValue("IsPastDue", out var due) && (bool)(Coerce("isPastDue", due, typeof(bool)) ?? false) },
            var t when t == typeof(string) && IsTrigger(p) => input,
            var t when IsTrigger(p) => input is null ? null : JsonSerializer.Deserialize(input, t, JsonSerializerOptions.Web),
            var t when data.TryGetValue(p.Name!, out var value) => Coerce(p.Name!, value, t),
            _ => throw Unsupported(function, p),
        }).ToArray();
        return CallAsync(function, services, args);
    }

    /// <summary>
    /// A metadata value as the parameter's type: as given, from JSON (the admin API), or converted (a number from a string).
    /// A value that is not of that type is the caller's mistake (<see cref="TriggerMetadataException"/>), not the function's.
    /// </summary>
    private static object? Coerce(string key, object? value, Type type)
    {
        try
        {
            return value switch
            {
                null => null,
                JsonElement e => e.Deserialize(type, JsonSerializerOptions.Web),
                _ when type.IsInstanceOfType(value) => value,
                _ => Convert.ChangeType(value, Nullable.GetUnderlyingType(type) ?? type, System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or OverflowException)
        {
            throw new TriggerMetadataException(key, $"metadata '{key}' must be a {(Nullable.GetUnderlyingType(type) ?? type).Name}: {e.Message}");
        }
    }

    private static async Task<object?> CallAsync(FunctionEntry function, IServiceProvider services, object?[] args)
    {
        var method = function.Method;
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        object? returned;
        try { returned = method.Invoke(target, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        if (returned is not Task task) return returned;
        await task;
        var type = task.GetType();
        return type.IsGenericType && type.GetProperty("Result") is { } r && r.PropertyType.Name != "VoidTaskResult" ? r.GetValue(task) : null;
    }

    private static bool IsTrigger(ParameterInfo p) =>
        p.GetCustomAttributes().Any(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal));

    private static NotSupportedException Unsupported(FunctionEntry function, ParameterInfo p) =>
        new($"The local host cannot bind parameter '{p.Name}' ({p.ParameterType.Name}) of function '{function.Name}'. "
            + "It binds HttpRequest, route values, CancellationToken, TimerInfo, a trigger's input and trigger metadata by name; extend FunctionInvoker for more.");
}

/// <summary>Trigger metadata given to the admin API that does not bind to the function's parameter (a 400, naming the key).</summary>
public sealed class TriggerMetadataException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}
