using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inventory.Functions.Api;

/// <summary>
/// Enum values as the specification writes them (PICK_FACE, SHIP, PARTIAL, ALL_OR_NOTHING) in every response. Requests
/// may spell a value any usual way — PICK_FACE, pickFace, PickFace, pick-face, all-or-nothing — since integrators copy
/// them from the specification, from camelCase JSON or from Shopify-style kebab case; numbers are refused.
/// </summary>
public sealed class EnumSpelling : JsonConverterFactory
{
    public static string Name(string enumName) => JsonNamingPolicy.SnakeCaseUpper.ConvertName(enumName);

    public static string Names(Type enumType) => string.Join(", ", Enum.GetNames(enumType).Select(Name));

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByKey = Enum.GetValues<T>().ToDictionary(v => Key(v.ToString()), StringComparer.OrdinalIgnoreCase);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text && ByKey.TryGetValue(Key(text), out var value)) return value;
            throw new JsonException($"must be one of {Names(typeof(T))}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Name(value.ToString()));

        private static string Key(string text) => new(text.Where(char.IsLetterOrDigit).ToArray());
    }
}
