using System.Text.Json;
using System.Text.Json.Serialization;
using Inventory.Application;

namespace Inventory.Functions.Api;

/// <summary>JSON of the HTTP API: responses in the documents' shape; requests read strictly so a typo or a wrong type is a 400, not a silent default.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Responses => DocumentJson.Options;

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
