using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Inventory.Application;

namespace Inventory.Functions.Api;

/// <summary>JSON of the HTTP API: responses in the documents' shape; requests read strictly so a typo or a wrong type is a 400, not a silent default.</summary>
public static class ApiJson
{
    /// <summary>The documents' options, with quotes and apostrophes left readable (bodies are JSON, never inlined into HTML).</summary>
    public static JsonSerializerOptions Responses { get; } = new(DocumentJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonSerializerOptions Requests { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        AllowTrailingCommas = false,
        MaxDepth = 32,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
