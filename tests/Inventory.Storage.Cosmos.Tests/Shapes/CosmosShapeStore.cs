using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Inventory.Testing;

namespace Inventory.Storage.Cosmos.Tests.Shapes;

/// <summary>One write the Cosmos store would refuse, or would not give back as it was written.</summary>
public sealed record ShapeProblem(Collection Collection, string Partition, string Id, string? Body, string Reason)
{
    public override string ToString() => $"{Collection}/{Partition}/{Id}: {Reason}\n    body: {Body ?? "(none)"}";
}

/// <summary>A write as it reached the store: enough for a test to say which shapes a workflow produced.</summary>
public sealed record SeenWrite(Collection Collection, string Partition, string Id, string? Type, string Kind, string? Body);

/// <summary>
/// An in-memory store that first puts every write through the Cosmos item mapping, as <see cref="CosmosDocumentStore"/>
/// would: a body is turned into the item Cosmos is sent (<see cref="CosmosItems.ToItem"/>), given back as Cosmos returns
/// it (<see cref="CosmosFakes.Stored"/>: its system properties added) and read (<see cref="CosmosItems.FromItem"/>); the
/// values read must be the values written, every number must survive as the double Cosmos keeps, and ids and partition
/// key values must be within Cosmos's limits. The emulator cannot run here, so this is how the application's real
/// documents meet the Cosmos mapping offline. Problems are collected, not thrown, so one run names every shape at fault;
/// the write then goes on to the in-memory store so the workflow carries on and writes the rest of its shapes.
/// </summary>
public sealed class CosmosShapeStore(IDocumentStore inner) : DelegatingStore(inner)
{
    /// <summary>
    /// Cosmos ids: at most 1,023 bytes (Azure Cosmos DB service quotas, per-item limits; older SDKs held 255 characters);
    /// '/', '\', '?' and '#' are refused (escaped by the store, so never sent).
    /// </summary>
    public const int MaxIdBytes = 1023;

    /// <summary>Partition key values: at most 2 KB of UTF-8 (the containers use large partition keys, version 2).</summary>
    public const int MaxPartitionKeyBytes = 2048;

    /// <summary>Cosmos keeps JSON numbers as IEEE 754 doubles: integers beyond ±2^53 come back changed.</summary>
    private static readonly BigInteger MaxExactInteger = BigInteger.Pow(2, 53);

    private readonly object gate = new();
    private readonly List<ShapeProblem> problems = [];
    private readonly List<SeenWrite> seen = [];
    private readonly List<SeenWrite> rewrites = [];
    private readonly List<SeenWrite> keeps = [];

    public CosmosShapeStore() : this(new InMemoryDocumentStore()) { }

    /// <summary>The inner store's, with Cosmos DB's cap on a partition: the application lays out what it writes for it (order headers).</summary>
    public override StoreLimits Limits => base.Limits with { MaxPartitionBytes = CosmosDocumentStore.CosmosLimits.MaxPartitionBytes };

    public IReadOnlyList<ShapeProblem> Problems { get { lock (gate) return [.. problems]; } }
    public IReadOnlyList<SeenWrite> Seen { get { lock (gate) return [.. seen]; } }

    /// <summary>Bodies naming another value for the partition key property than their partition (kept aside in the item, 30f407a).</summary>
    public IReadOnlyList<SeenWrite> Kept { get { lock (gate) return [.. keeps]; } }

    /// <summary>Bodies read back as another text of the same values (their body here is the text read back).</summary>
    public IReadOnlyList<SeenWrite> Rewritten { get { lock (gate) return [.. rewrites]; } }

    public override Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        foreach (var write in writes) Check(collection, partition, write);
        return base.CommitAsync(collection, partition, writes, cancellationToken);
    }

    /// <summary>Fails with every problem found, each with its document, so a failing run says what to fix.</summary>
    public void AssertNoProblems()
    {
        var found = Problems;
        Assert.True(found.Count == 0, $"{found.Count} document(s) Cosmos would refuse or not read back as written:\n" + string.Join("\n", found));
    }

    private void Check(Collection collection, string partition, DocumentWrite write)
    {
        // Every kind is named: a new kind of write must say whether it carries a body before this passes it.
        var (kind, body) = write switch
        {
            DocumentWrite.Create c => ("create", c.Body),
            DocumentWrite.Replace r => ("replace", r.Body),
            DocumentWrite.Upsert u => ("upsert", u.Body),
            DocumentWrite.Delete => ("delete", (string?)null),
            _ => throw new InvalidOperationException($"{write.GetType().Name} is a kind of write {nameof(CosmosShapeStore)} does not know: add it."),
        };
        lock (gate) seen.Add(new SeenWrite(collection, partition, write.Id, write.Type, kind, body));

        var found = new List<string>();
        found.AddRange(KeyProblems(partition, write.Id));
        if (body is not null)
            found.AddRange(ItemProblems(collection, partition, write, body, r => { lock (gate) rewrites.Add(r); }, k => { lock (gate) keeps.Add(k); }));
        if (found.Count == 0) return;
        lock (gate) problems.AddRange(found.Select(reason => new ShapeProblem(collection, partition, write.Id, body, $"{kind}: {reason}")));
    }

    private static IEnumerable<string> KeyProblems(string partition, string id)
    {
        var itemId = CosmosItems.ItemId(id);
        if (Encoding.UTF8.GetByteCount(itemId) > MaxIdBytes) yield return $"id is {Encoding.UTF8.GetByteCount(itemId)} bytes once escaped; Cosmos allows {MaxIdBytes}.";
        if (itemId.IndexOfAny(['/', '\\', '?', '#']) >= 0 || itemId.Any(char.IsControl))
            yield return $"id '{itemId}' still holds a character Cosmos refuses in ids once escaped.";
        if (CosmosItems.DocumentId(itemId) != id) yield return $"id comes back as '{CosmosItems.DocumentId(itemId)}' from item id '{itemId}'.";
        var bytes = Encoding.UTF8.GetByteCount(partition);
        if (bytes > MaxPartitionKeyBytes) yield return $"partition key value is {bytes} bytes; Cosmos allows {MaxPartitionKeyBytes}.";
    }

    private static List<string> ItemProblems(Collection collection, string partition, DocumentWrite write, string body, Action<SeenWrite> rewritten,
        Action<SeenWrite> kept)
    {
        var layout = CosmosLayout.For(collection);
        byte[] item;
        try { item = CosmosItems.ToItem(layout, partition, write.Id, body, write.Type); }
        catch (ArgumentException e) { return [$"refused by the item mapping: {e.Message}"]; }

        var found = new List<string>();
        using var sent = JsonDocument.Parse(item);
        // Cosmos puts the item in the partition its partition key property names, and a batch refuses one naming another.
        if (!sent.RootElement.TryGetProperty(layout.PartitionKeyProperty, out var key) || key.ValueKind != JsonValueKind.String || key.GetString() != partition)
            found.Add($"the item's {layout.PartitionKeyProperty} is {(key.ValueKind == JsonValueKind.Undefined ? "missing" : key.GetRawText())}, not the partition \"{partition}\".");
        if (!sent.RootElement.TryGetProperty("id", out var itemId) || itemId.GetString() != CosmosItems.ItemId(write.Id))
            found.Add($"the item's id is {(itemId.ValueKind == JsonValueKind.Undefined ? "missing" : itemId.GetRawText())}, not \"{CosmosItems.ItemId(write.Id)}\".");
        found.AddRange(InexactNumbers(sent.RootElement, "$"));
        if (sent.RootElement.TryGetProperty(CosmosItems.StoreKept, out _)) kept(new SeenWrite(collection, partition, write.Id, write.Type, "kept", body));

        using var returned = JsonDocument.Parse(CosmosFakes.Stored(Encoding.UTF8.GetString(item)));
        var read = CosmosItems.FromItem(returned.RootElement);
        if (read.Id != write.Id) found.Add($"read back with id '{read.Id}'.");
        if (read.Body == body) return found;
        // Another text of the same JSON (escapes, number formatting) is what any Cosmos read gives back: the service keeps
        // values, not text. Only other values are a problem; the rewrites are kept for a test to look at.
        using (var written = JsonDocument.Parse(body))
        using (var back = JsonDocument.Parse(read.Body))
        {
            if (JsonElement.DeepEquals(written.RootElement, back.RootElement)) rewritten(new SeenWrite(collection, partition, write.Id, write.Type, "read back", read.Body));
            else found.Add($"read back with other values: {read.Body}");
        }
        return found;
    }

    /// <summary>
    /// Numbers Cosmos would give back with another value: it keeps a double, and returns the shortest text of that double.
    /// Text that only formats the same value otherwise (1.50 for 1.5) is not a problem: the value read is the same.
    /// </summary>
    private static IEnumerable<string> InexactNumbers(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                    foreach (var problem in InexactNumbers(p.Value, $"{path}.{p.Name}")) yield return problem;
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var e in element.EnumerateArray())
                    foreach (var problem in InexactNumbers(e, $"{path}[{i++}]")) yield return problem;
                break;
            case JsonValueKind.Number:
                var text = element.GetRawText();
                if (!SurvivesDouble(text, out var back)) yield return $"{path} = {text} would come back from Cosmos as {back} (numbers are doubles there).";
                break;
        }
    }

    private static bool SurvivesDouble(string text, out string back)
    {
        var asDouble = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        back = asDouble.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(['.', 'e', 'E']) < 0)
            return BigInteger.Abs(BigInteger.Parse(text, CultureInfo.InvariantCulture)) <= MaxExactInteger;
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var written)
            && decimal.TryParse(back, NumberStyles.Float, CultureInfo.InvariantCulture, out var read) && written == read;
    }
}
