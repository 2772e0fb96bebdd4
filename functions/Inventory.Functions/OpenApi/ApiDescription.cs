using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Inventory.Functions.Api;

namespace Inventory.Functions.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document, built from the HTTP functions themselves (trigger route and methods, [ApiOperation], body
/// types through System.Text.Json's schema exporter), so it cannot list a route the app does not serve or miss one it does.
/// </summary>
public static partial class ApiDescription
{
    public const string RoutePrefix = "/api/";

    private static readonly Lazy<JsonObject> document = new(Build);

    public static JsonObject Document => document.Value;

    private static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var f in FunctionCatalog.Discover().Where(f => f.Http is not null).OrderBy(f => f.Http!.Route, StringComparer.Ordinal))
        {
            var path = PathOf(f.Http!.Route);
            var item = paths[path] as JsonObject ?? new JsonObject();
            paths[path] = item;
            foreach (var method in f.Http.Methods) item[method.ToLowerInvariant()] = Operation(f, f.Http.Route);
        }
        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Inventory service",
                ["version"] = "1.0.0",
                ["description"] = "Stock reservations for e-commerce platforms, warehouse stock movements and a Shopify webhook. "
                    + "Errors are RFC 7807 problem+json with a stable type per error code.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["security"] = new JsonArray(new JsonObject { ["functionKey"] = new JsonArray() }, new JsonObject { ["functionKeyQuery"] = new JsonArray() }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                    ["functionKeyQuery"] = new JsonObject { ["type"] = "apiKey", ["in"] = "query", ["name"] = "code" },
                },
                ["schemas"] = new JsonObject { ["Problem"] = ProblemSchema() },
            },
        };
    }

    /// <summary>The OpenAPI path of a trigger route: /api/ prefix, constraints and catch-all marks removed from parameters.</summary>
    public static string PathOf(string route) => RoutePrefix + RouteParameter().Replace(route, m => "{" + m.Groups["name"].Value + "}");

    private static JsonObject Operation(FunctionEntry f, string route)
    {
        var info = f.Method.GetCustomAttribute<ApiOperationAttribute>() ?? new ApiOperationAttribute(f.Name);
        var parameters = new JsonArray();
        foreach (Match m in RouteParameter().Matches(route))
            parameters.Add(Parameter(m.Groups["name"].Value, "path", required: true));
        foreach (var q in info.Query) parameters.Add(Parameter(q, "query", required: false));
        foreach (var h in info.Headers) parameters.Add(Parameter(h, "header", required: false));

        var responses = new JsonObject();
        foreach (var status in info.Success)
        {
            var response = new JsonObject { ["description"] = status switch { 201 => "Created", 204 => "No content", _ => "OK" } };
            if (status == 204) { responses["204"] = response; continue; } // no body
            if (info.Response is { } type)
                response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = info.OrResponse is { } or
                    ? new JsonObject { ["oneOf"] = new JsonArray(Schema(type, ApiJson.Responses), Schema(or, ApiJson.Responses)) }
                    : Schema(type, ApiJson.Responses) } };
            else response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } };
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }
        responses["4XX"] = ProblemResponse("Refused: see the problem's type and fields");
        responses["5XX"] = ProblemResponse("Store unavailable, contention, or an unexpected error");

        var operation = new JsonObject
        {
            ["operationId"] = f.Name,
            ["summary"] = info.Summary,
            ["tags"] = new JsonArray(info.Tag),
            ["parameters"] = parameters,
            ["responses"] = responses,
        };
        if (info.Description is { } d) operation["description"] = d;
        if (info.RequestBody is { } body)
        {
            var content = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Schema(body, ApiJson.Requests) } };
            foreach (var media in info.AlsoConsumes) content[media] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } };
            operation["requestBody"] = new JsonObject { ["required"] = !info.RequestBodyOptional, ["content"] = content };
        }
        return operation;
    }

    private static JsonObject Parameter(string name, string where, bool required) => new()
    {
        ["name"] = name, ["in"] = where, ["required"] = required, ["schema"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject ProblemResponse(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
    };

    /// <summary>
    /// Request bodies have nullable members so that a missing one is reported by name; the exporter would list them all as
    /// required, so "required" is dropped there and the API's 400 names what is missing.
    /// </summary>
    private static JsonNode Schema(Type type, JsonSerializerOptions options) =>
        new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() }.GetJsonSchemaAsNode(type,
            new JsonSchemaExporterOptions
            {
                TreatNullObliviousAsNonNullable = true,
                TransformSchemaNode = (context, node) =>
                {
                    if (ReferenceEquals(options, ApiJson.Requests) && node is JsonObject o) o.Remove("required");
                    // Enums go through EnumSpelling, which the exporter cannot see into: list the values as responses spell them.
                    var enumType = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
                    if (enumType.IsEnum)
                        return new JsonObject
                        {
                            ["type"] = "string",
                            ["enum"] = new JsonArray(Enum.GetNames(enumType).Select(n => (JsonNode?)EnumSpelling.Name(n)).ToArray()),
                        };
                    return node;
                },
            });

    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("type", "title", "status", "detail", "code"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["description"] = Problems.TypePrefix + "{code}" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["instance"] = new JsonObject { ["type"] = "string" },
            ["code"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(Problems.Catalog.Keys.Select(k => (JsonNode)k).ToArray()) },
            ["errors"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "validation-failed: each offending field and what is wrong with it",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["field"] = new JsonObject { ["type"] = "string" }, ["message"] = new JsonObject { ["type"] = "string" } },
                },
            },
        },
        ["additionalProperties"] = true,
    };

    [GeneratedRegex(@"\{\*?(?<name>[A-Za-z0-9_]+)(:[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
