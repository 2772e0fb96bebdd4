using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// The item a document becomes: its JSON body's own properties, then <c>id</c> and the partition key property (unless
/// the body carries them with the same value), <c>docType</c>, and
/// <c>storeAdded</c> naming what was added, so the body read back holds exactly the values written (its text may differ:
/// only what JSON requires is escaped, so <c>\u00E9</c> comes back as <c>é</c>, and Cosmos formats numbers its own way).
/// A body may name another value for the partition key property than its partition (an open-saga entry's <c>orderId</c>
/// in its index bucket, a product's documents copied into an escrow bucket): the item carries the partition, as Cosmos
/// requires, and the body's own value is kept in <c>storeKept</c>, put back when read.
/// </summary>
internal static class CosmosItems
{
    public const string DocType = "docType";
    public const string Ttl = "ttl";
    public const string StoreAdded = "storeAdded";
    public const string StoreKept = "storeKept";
    private static readonly HashSet<string> SystemProperties = ["_rid", "_self", "_etag", "_attachments", "_ts", "_lsn"];

    // Only what JSON itself requires is escaped, as DocumentJson writes it: the body read back is the body written.
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToItem(ContainerLayout layout, string partition, string id, string body, string? docType = null)
    {
        var itemId = ItemId(id);
        using var parsed = Parse(id, body);
        var added = new List<string>();
        JsonElement? kept = null;
        using var buffer = new MemoryStream(body.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            writer.WriteStartObject();
            foreach (var property in parsed.RootElement.EnumerateObject())
            {
                Refuse(id, property, "id", itemId);
                if (property.Name is DocType or Ttl or StoreAdded or StoreKept || SystemProperties.Contains(property.Name))
                    throw new ArgumentException($"Document '{id}': property '{property.Name}' is reserved by the Cosmos store.", nameof(body));
                if (property.Name == layout.PartitionKeyProperty && !(property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == partition))
                {
                    kept = property.Value;
                    writer.WriteString(property.Name, partition);
                    continue;
                }
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
            if (kept is { } value)
            {
                writer.WriteStartObject(StoreKept);
                writer.WritePropertyName(layout.PartitionKeyProperty);
                value.WriteTo(writer);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static StoredDocument FromItem(JsonElement item)
    {
        var added = item.TryGetProperty(StoreAdded, out var list) ? list.EnumerateArray().Select(e => e.GetString()).ToHashSet() : [];
        var kept = item.TryGetProperty(StoreKept, out var k) ? k : (JsonElement?)null;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            writer.WriteStartObject();
            foreach (var property in item.EnumerateObject())
            {
                if (property.Name is DocType or Ttl or StoreAdded or StoreKept || SystemProperties.Contains(property.Name) || added.Contains(property.Name)) continue;
                if (kept is { } own && own.TryGetProperty(property.Name, out var value))
                {
                    writer.WritePropertyName(property.Name);
                    value.WriteTo(writer);
                    continue;
                }
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

    /// <summary>A body may carry the id itself, but only with the value the store will give it.</summary>
    private static void Refuse(string id, JsonProperty property, string name, string expected)
    {
        if (property.Name != name) return;
        if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() != expected)
            throw new ArgumentException($"Document '{id}': its '{name}' is {property.Value.GetRawText()} but the store sets it to \"{expected}\".", nameof(id));
    }
}
