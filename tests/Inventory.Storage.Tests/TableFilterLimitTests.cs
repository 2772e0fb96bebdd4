using System.Text.RegularExpressions;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>
/// Azure Table Storage refuses a $filter with more than 15 comparisons (Azurite does not), so a read naming many
/// documents — a coalesced batch of many orders — must be split into several queries and still return everything.
/// </summary>
public partial class TableFilterLimitTests : IAsyncLifetime
{
    private TableDocumentStore store = null!;
    public async Task InitializeAsync() => store = await AzuriteTables.CreateStoreAsync();
    public Task DisposeAsync() => AzuriteTables.DropAsync(store);

    [GeneratedRegex(" (eq|ne|gt|ge|lt|le) ")]
    private static partial Regex Comparison();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(40, 1)]
    [InlineData(7, 3)]
    public void No_filter_has_more_than_fifteen_comparisons(int ids, int prefixes)
    {
        var filters = TableDocumentStore.ReadFilters("p", Enumerable.Range(0, ids).Select(i => $"res|o{i}").ToArray(),
            Enumerable.Range(0, prefixes).Select(i => $"x{i}|").ToArray());
        Assert.All(filters, f => Assert.InRange(Comparison().Count(f), 2, TableDocumentStore.MaxComparisonsPerFilter));
        Assert.Equal(ids + 2 * prefixes + filters.Count, filters.Sum(f => Comparison().Count(f)));
    }

    [Fact]
    public async Task A_read_of_forty_ids_and_a_prefix_returns_every_document_once()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"res|o{i:D2}").ToArray();
        await store.CommitAsync(Collection.Products, "p1", ids.Append("bal|A").Append("bal|B")
            .Select(id => (DocumentWrite)new DocumentWrite.Create(id, "{}")).ToArray());
        var found = await store.ReadAsync(Collection.Products, "p1", ids.Append("res|missing").ToArray(), ["bal|"]);
        Assert.Equal(ids.Append("bal|A").Append("bal|B").Order(StringComparer.Ordinal), found.Select(d => d.Id).Order(StringComparer.Ordinal));
    }
}
