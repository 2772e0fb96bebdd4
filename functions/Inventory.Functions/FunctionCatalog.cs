using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions;

/// <summary>An HTTP function as its trigger declares it: route (without the /api prefix) and methods (upper case).</summary>
public sealed record HttpRoute(string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel);

/// <summary>One function of the app: its name, the method that runs it, and the attribute of its trigger parameter.</summary>
public sealed record FunctionEntry(string Name, MethodInfo Method, Attribute? Trigger)
{
    public HttpRoute? Http => Trigger is HttpTriggerAttribute h
        ? new HttpRoute(h.Route ?? Name, (h.Methods is { Length: > 0 } m ? m : ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
            .Select(x => x.ToUpperInvariant()).ToArray(), h.AuthLevel)
        : null;
}

/// <summary>
/// Finds the functions of an assembly the way the Functions SDK does: public methods with [Function], the trigger being
/// the parameter attribute whose name ends in TriggerAttribute. The OpenAPI document and the local host both read this,
/// so neither keeps its own list of routes.
/// </summary>
public static class FunctionCatalog
{
    public static Assembly FunctionsAssembly => typeof(FunctionCatalog).Assembly;

    public static IReadOnlyList<FunctionEntry> Discover(Assembly? assembly = null) =>
        (assembly ?? FunctionsAssembly).GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.Function is not null)
            .Select(x => new FunctionEntry(x.Function!.Name, x.Method, x.Method.GetParameters()
                .SelectMany(p => p.GetCustomAttributes())
                .FirstOrDefault(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal))))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToArray();
}
