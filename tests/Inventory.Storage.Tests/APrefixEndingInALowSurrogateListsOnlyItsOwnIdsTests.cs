using Inventory.Storage;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>
/// Found in review: the Table store serves a prefix as the range [prefix, UpperBound(prefix)), and
/// <c>TableKeys.UpperBound</c> adds one to the prefix's last UTF-16 unit. When the prefix ends in a character beyond
/// U+FFFF whose low surrogate is U+DFFF (U+1F3FF, the emoji skin-tone modifier, is D83C DFFF), that gives D83C E000: an
/// unpaired high surrogate, which the request's URL cannot carry (it goes out as U+FFFD), so the range runs up to
/// "q\uFFFD…" and takes in every id between: "q😀" (D83D DE00) and "q\uE000" come back for the prefix "q🏿". Reads
/// (<c>ReadAsync</c> prefixes) and pages (<c>QueryAsync</c>) then hand a caller documents it did not ask for, which the
/// port promises never to (Cosmos's STARTSWITH and the in-memory store list only the prefix's ids). The bound must be
/// the next code point (D83C DC00 after D83C DFFF), never a lone surrogate.
/// </summary>
public sealed class APrefixEndingInALowSurrogateListsOnlyItsOwnIdsTests : IAsyncLifetime
{
    private const string Prefix = "q\U0001F3FF"; // q, then D83C DFFF
    private static readonly string[] Ids = ["q\U0001F3FFa", "q\U0001F600", "q\uE000", "r"];
    private TableDocumentStore store = null!;

    public async Task InitializeAsync()
    {
        store = await AzuriteTables.CreateStoreAsync();
        await store.CommitAsync(Collection.Runs, "p1", Ids.Select(i => (DocumentWrite)new DocumentWrite.Create(i, "{}")).ToArray());
    }

    public Task DisposeAsync() => AzuriteTables.DropAsync(store);

    private static string Units(IEnumerable<string> ids) =>
        string.Join(", ", ids.Select(id => string.Join(" ", id.Select(c => ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)))));

    [Fact]
    public async Task A_page_of_the_prefix_lists_only_the_ids_starting_with_it()
    {
        var page = await store.QueryAsync(Collection.Runs, "p1", Prefix, 10, null);

        var ids = page.Documents.Select(d => d.Id).ToArray();
        Assert.True(ids.SequenceEqual(["q\U0001F3FFa"]), $"The page of prefix 0071 D83C DFFF listed [{Units(ids)}]");
    }

    [Fact]
    public async Task A_read_of_the_prefix_returns_only_the_ids_starting_with_it()
    {
        var docs = await store.ReadAsync(Collection.Runs, "p1", [], [Prefix]);

        var ids = docs.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.True(ids.SequenceEqual(["q\U0001F3FFa"]), $"A read of prefix 0071 D83C DFFF returned [{Units(ids)}]");
    }
}
