using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inventory.Application;

/// <summary>How documents are written: camelCase JSON with enums as strings, the same shape in every store.</summary>
public static class DocumentJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string body) =>
        JsonSerializer.Deserialize<T>(body, Options) ?? throw new InvalidDataException($"Stored {typeof(T).Name} is empty.");
}
