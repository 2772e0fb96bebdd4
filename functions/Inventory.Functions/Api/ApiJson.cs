using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;

namespace Inventory.Functions.Api;

/// <summary>JSON of the HTTP API: responses in the documents' shape; requests read strictly so a typo or a wrong type is a 400, not a silent default.</summary>
public static class ApiJson
{
    /// <summary>
    /// The documents' options, with quotes and apostrophes left readable (bodies are JSON, never inlined into HTML), and
    /// every enum value spelled as the specification does (<see cref="EnumSpelling"/>), also where a core view carries
    /// one as a string.
    /// </summary>
    public static JsonSerializerOptions Responses { get; } = ResponseOptions();

    private static JsonSerializerOptions ResponseOptions()
    {
        var options = new JsonSerializerOptions(DocumentJson.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SpecEnumNames } },
        };
        options.Converters.Clear();
        options.Converters.Add(new EnumSpelling());
        return options;
    }

    /// <summary>The core views whose string members hold an enum's name (LocationStockView.LocationType, ReservationLineView.Status).</summary>
    private static readonly Dictionary<Type, string> EnumNamesAsStrings = new()
    {
        [typeof(LocationStockView)] = nameof(LocationStockView.LocationType),
        [typeof(ReservationLineView)] = nameof(ReservationLineView.Status),
    };

    private static void SpecEnumNames(JsonTypeInfo info)
    {
        if (!EnumNamesAsStrings.TryGetValue(info.Type, out var member)) return;
        foreach (var property in info.Properties.Where(p => p.AttributeProvider is System.Reflection.PropertyInfo { Name: var name } && name == member))
        {
            var get = property.Get!;
            property.Get = o => get(o) is string s ? EnumSpelling.Name(s) : null;
        }
    }

    /// <summary>How the API spells an enum's values ("must be one of PICK_FACE, BULK, OVERFLOW").</summary>
    public static string Spelling(Type enumType) => EnumSpelling.Names(enumType);

    public static JsonSerializerOptions Requests { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        AllowTrailingCommas = false,
        MaxDepth = 32,
        Converters = { new EnumSpelling() },
    };
}
