using System.Text.Json;
using System.Text.Json.Nodes;

namespace Inventory.Application;

/// <summary>
/// How a document of several items of one kind (a ledger pack's entries, a reservation pack's reservations) is stored:
/// each value every item has is written once under <c>shared</c>, each item keeps what differs. A hot product's partition
/// is bounded by its RU, which grow with the bytes written, and the items of one commit differ in a few fields only.
/// </summary>
internal static class SharedValues
{
    public const string Property = "shared";

    /// <summary>The items as stored: <c>{shared: {...}, <paramref name="itemsName"/>: [...]}</c>, plus <paramref name="more"/>.</summary>
    public static JsonObject Compact<T>(IReadOnlyList<T> items, string itemsName, params (string Name, JsonNode? Value)[] more)
    {
        var nodes = items.Select(i => JsonSerializer.SerializeToNode(i, DocumentJson.Options)!.AsObject()).ToArray();
        var shared = new JsonObject();
        if (nodes.Length > 1)
        {
            foreach (var (name, value) in nodes[0])
                if (nodes.Skip(1).All(n => n.TryGetPropertyValue(name, out var other) && JsonNode.DeepEquals(value, other)))
                    shared[name] = value?.DeepClone();
            foreach (var node in nodes)
                foreach (var (name, _) in shared) node.Remove(name);
        }
        var document = new JsonObject();
        foreach (var (name, value) in more) document[name] = value;
        document[Property] = shared;
        document[itemsName] = new JsonArray(nodes);
        return document;
    }

    /// <summary>The items of a stored document, each with the shared values put back (none shared: read as they are).</summary>
    public static T[] Expand<T>(JsonElement document, string itemsName)
    {
        var items = document.GetProperty(itemsName);
        if (!document.TryGetProperty(Property, out var shared)) return items.Deserialize<T[]>(DocumentJson.Options) ?? [];
        return items.EnumerateArray().Select(item =>
        {
            var whole = JsonObject.Create(item)!.DeepClone().AsObject();
            foreach (var value in shared.EnumerateObject()) whole[value.Name] = JsonSerializer.SerializeToNode(value.Value);
            return whole.Deserialize<T>(DocumentJson.Options) ?? throw new InvalidDataException($"Stored {typeof(T).Name} is empty.");
        }).ToArray();
    }
}
