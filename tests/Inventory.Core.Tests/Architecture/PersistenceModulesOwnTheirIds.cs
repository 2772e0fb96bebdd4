using Inventory.Testing;
using System.Text.RegularExpressions;

namespace Inventory.Core.Tests.Architecture;

/// <summary>
/// Issue 11: storage knowledge lives in the persistence modules (<c>Application/Persistence</c>). Outside them no file
/// of the application layer names a collection or spells a document id; the same scan over the modules finds them, so
/// the patterns are live.
/// </summary>
public sealed partial class PersistenceModulesOwnTheirIds
{
    private static readonly string Application = Path.Combine(RepositoryRoot.Path, "functions", "Inventory.Core", "Application");
    private static readonly string Modules = Path.Combine(Application, "Persistence");

    [Fact]
    public void No_file_outside_the_persistence_modules_names_a_collection_or_a_document_id()
    {
        var outside = Sources().Where(f => !f.StartsWith(Modules + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(outside);
        Assert.Empty(outside.SelectMany(Findings));
    }

    [Fact]
    public void The_scan_finds_what_the_modules_spell()
    {
        var found = Sources().Where(f => f.StartsWith(Modules + Path.DirectorySeparatorChar, StringComparison.Ordinal)).SelectMany(Findings).ToArray();
        foreach (var expected in new[] { "Collection.Products", "Collection.Orders", "Collection.Warehouses", "Collection.PurchaseOrders", "Collection.Runs",
                     "Collection.Quarantine", "Collection.Catalog", "\"po\"", "\"supply\"", "\"load|", "\"msg|", "\"run|", "\"latest\"", "\"shopify-delivery|" })
            Assert.Contains(found, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_scan_flags_an_id_or_a_collection_written_in_a_use_case()
    {
        Assert.NotEmpty(Findings("x.cs", "var docs = await store.ReadAsync(Collection.Products, id, [\"supply\"], [], ct);"));
        Assert.NotEmpty(Findings("x.cs", "await store.CommitAsync(c, p, [new DocumentWrite.Upsert(\"msg|\" + key, body)], ct);"));
        Assert.Empty(Findings("x.cs", "guard.Id(\"productId\", id); // the collection of products"));
    }

    private static IEnumerable<string> Sources() => Directory.EnumerateFiles(Application, "*.cs", SearchOption.AllDirectories);

    private static IEnumerable<string> Findings(string file) => Findings(file, File.ReadAllText(file));

    private static IEnumerable<string> Findings(string file, string source) =>
        source.Split('\n').Select((line, i) => (line, i))
            .Where(l => Forbidden().IsMatch(l.line))
            .Select(l => $"{Path.GetFileName(file)}:{l.i + 1}: {l.line.Trim()}");

    /// <summary>
    /// A collection (<c>Collection.X</c>), the former grab-bag of ids, a module's id table, or an id literal: the exact ids
    /// and the prefixes the application's documents use. (<c>"sku"</c> and <c>"reference"</c> are left out: they are also
    /// the names of request fields.)
    /// </summary>
    [GeneratedRegex("""\bCollection\.[A-Z]|\bDocumentIds\b|\bProductPartitionIds\b|"(po|supply|latest|product|head|order|warehouse|location|day|outbox|replenishment|shopify-cancelled)"|"(load|msg|run|shopify-delivery|bal|res|rsc|op|chg|led|ckp|loc|intent|intent-open|ref|open|attention|rows)\|""")]
    private static partial Regex Forbidden();
}
