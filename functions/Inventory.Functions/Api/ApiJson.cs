using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Inventory.Functions.Api;

/// <summary>
/// JSON of the HTTP API and of the Service Bus messages: its own options, shared with nothing in Core, so the stored
/// documents' JSON (<c>DocumentJson</c>) can change without changing the wire, and the other way round. Responses are
/// written from wire types only (<c>Api/Contracts</c>); requests are read strictly so a typo or a wrong type is a 400,
/// not a silent default.
/// </summary>
public static class ApiJson
{
    /// <summary>
    /// camelCase, nulls left out, quotes and apostrophes left readable (bodies are JSON, never inlined into HTML), every enum
    /// value spelled as the specification does (<see cref="EnumSpelling"/>). A Core type (a domain record, an application
    /// view, a stored document) is refused: it must be mapped to a wire type first (<see cref="WireTypes"/>).
    /// </summary>
    /// <remarks>
    /// The web defaults (camelCase) as the API has always had them: their lenient number reading is why the OpenAPI
    /// document lists response integers as "string or integer"; responses always write numbers.
    /// </remarks>
    public static JsonSerializerOptions Responses { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new EnumSpelling() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WireTypes.RefuseCoreTypes } },
    };

    /// <summary>How the API spells an enum's values ("must be one of PICK_FACE, BULK, OVERFLOW").</summary>
    public static string Spelling(Type enumType) => EnumSpelling.Names(enumType);

    public static JsonSerializerOptions Requests { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        AllowTrailingCommas = false,
        // A field given twice is refused: by default the last value wins silently ("quantity":1,"quantity":1000).
        AllowDuplicateProperties = false,
        MaxDepth = 32,
        Converters = { new EnumSpelling() },
    };
}
