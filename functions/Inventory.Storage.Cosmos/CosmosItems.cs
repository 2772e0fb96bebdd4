using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// The item a document becomes: its JSON body's own properties, then <c>id</c> and the partition key property (unless
/// the body carries them with the same value), <c>docType</c>, and
/// <c>storeAdded</c> naming what was added, so the body read back is exactly the body written (less number formatting).
/// </summary>
internal static class CosmosItems
{
    public const string DocType = "docType";
    public const string Ttl = "ttl";
    public const string StoreAdded = "storeAdded";
    private static readonly HashSet<string> SystemProperties = ["_rid", "_self", "_etag", "_attachments", "_ts", "_lsn"];

    // Only what JSON itself requires is escaped, as DocumentJson writes it: the body read back is the body written.
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToItem(ContainerLayout layout, string partition, string id, string body, string? docType = null)
    {
        var itemId = ItemId(id);
        using var parsed = Parse(id, body);
        var added = new List<string>();
        using var buffer = new MemoryStream(body.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            writer.WriteStartObject();
            foreach (var property in parsed.RootElement.EnumerateObject())
            {
                Refuse(id, property, "id", itemId);
                Refuse(id, property, layout.PartitionKeyProperty, partition);
                if (property.Name is DocType or Ttl or StoreAdded || SystemProperties.Contains(property.Name))
                    throw new ArgumentException($"Document '{id}': property '{property.Name}' is reserved by the Cosmos store.", nameof(body));
                property.WriteTo(writer);
            }
            if (!parsed.RootElement.TryGetProperty("id", out _)) { writer.WriteString("id", itemId); added.Add("id"); }
            if (!parsed.RootElement.TryGetProperty(layout.PartitionKeyProperty, out _))
            {
                writer.WriteString(layout.PartitionKeyProperty, partition);
                added.Add(layout.PartitionKeyProperty);
            }
            writer.WriteString(DocType, docType ?? layout.DefaultDocType);
            if (added.Count > 0)
            {
                writer.WriteStartArray(StoreAdded);
                foreach (var name in added) writer.WriteStringValue(name);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static StoredDocument FromItem(JsonElement item)
    {
        var added = item.TryGetProperty(StoreAdded, out var list) ? list.EnumerateArray().Select(e => e.GetString()).ToHashSet() : [];
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            writer.WriteStartObject();
            foreach (var property in item.EnumerateObject())
            {
                if (property.Name is DocType or Ttl or StoreAdded || SystemProperties.Contains(property.Name) || added.Contains(property.Name)) continue;
                property.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        var id = item.GetProperty("id").GetString() ?? throw new InvalidDataException("A Cosmos item without an id.");
        var etag = item.TryGetProperty("_etag", out var e) ? e.GetString() : null;
        return new StoredDocument(DocumentId(id), Encoding.UTF8.GetString(buffer.ToArray()),
            etag ?? throw new InvalidDataException($"Cosmos item '{id}' came back without an _etag."));
    }

    /// <summary>Cosmos ids may not hold '/', '\', '?' or '#': escaped as every store does (<see cref="StoreKeys"/>).</summary>
    public static string ItemId(string id) => StoreKeys.Escape(id);

    public static string DocumentId(string itemId) => StoreKeys.Unescape(itemId);

    private static JsonDocument Parse(string id, string body)
    {
        JsonDocument parsed;
        try { parsed = JsonDocument.Parse(body); }
        catch (JsonException e) { throw new ArgumentException($"Document '{id}' is not JSON: {e.Message}", nameof(body), e); }
        if (parsed.RootElement.ValueKind == JsonValueKind.Object) return parsed;
        parsed.Dispose();
        throw new ArgumentException($"Document '{id}' must be a JSON object to be stored in Cosmos DB.", nameof(body));
    }

    /// <summary>A body may carry the id or partition key property itself, but only with the value the store will give it.</summary>
    private static void Refuse(string id, JsonProperty property, string name, string expected)
    {
        if (property.Name != name) return;
        if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() != expected)
            throw new ArgumentException($"Document '{id}': its '{name}' is {property.Value.GetRawText()} but the store sets it to \"{expected}\".", nameof(id));
    }
}
