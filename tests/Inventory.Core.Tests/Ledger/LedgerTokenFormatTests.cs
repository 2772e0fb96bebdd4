using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Issue 14: a ledger page's token keeps where its read goes on as the sequence naming the next document (<c>@n</c>), not
/// as the store's token (on Table Storage its filter and both keys: a product in escrow's token, one per bucket, reached
/// 15 KB). Tokens issued before, with the store's own token in that place, and merged tokens of the first format
/// (<c>m1</c>, each cursor base64url), still page on to the same entries.
/// </summary>
public sealed partial class LedgerTokenFormatTests
{
    private static async Task<List<LedgerEntry>> RestAsync(InventoryApplication app, string productId, string token)
    {
        var listed = new List<LedgerEntry>();
        for (var (next, pages) = ((string?)token, 0); next is not null; pages++)
        {
            Assert.True(pages < 200, "the listing never ends");
            var page = await app.Stock.GetLedgerAsync(productId, 4, next);
            listed.AddRange(page.Entries);
            next = page.ContinuationToken;
        }
        return listed;
    }

    /// <summary>The store's own token for "after the ledger document named by <paramref name="sequence"/>", read one document a page.</summary>
    private static async Task<string> StoreTokenAfterAsync(InMemoryDocumentStore store, string partition, long sequence)
    {
        string? token = null;
        for (var pages = 0; pages < 500; pages++)
        {
            var page = await store.QueryAsync(Collection.Products, partition, ProductPartitionIds.LedgerPrefix, 1, token);
            token = page.ContinuationToken;
            if (page.Documents.Count > 0 && page.Documents[^1].Id == ProductPartitionIds.Ledger(sequence)) return token!;
        }
        throw new InvalidOperationException("no such document");
    }

    [GeneratedRegex("@([0-9]+)")]
    private static partial Regex Position();

    [Fact]
    public async Task A_token_holding_the_stores_own_position_pages_on_to_the_same_entries()
    {
        var store = new InMemoryDocumentStore();
        var counted = new CountingStore(store);
        var s = StockScenario.Over(counted);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("P");
        for (var i = 0; i < 60; i++) await s.StockAsync("P", "L1", i + 1); // 60 documents of one entry, with the product's own
        string? token = null;
        for (var page = 0; page < 10; page++) token = (await s.App.Stock.GetLedgerAsync("P", 4, token)).ContinuationToken; // 40 entries down
        var sequence = long.Parse(Assert.Single(Position().Matches(token!)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var before = Position().Replace(token!, await StoreTokenAfterAsync(store, "P", sequence)); // as the build before wrote it

        counted.Reset();
        var expected = await RestAsync(s.App, "P", token!);
        var read = counted.DocumentsRead;
        counted.Reset();
        Assert.Equal(expected.Select(e => e.Sequence), (await RestAsync(s.App, "P", before)).Select(e => e.Sequence));
        Assert.InRange(counted.DocumentsRead, 1, read + 2); // from where it stopped, not again from the newest entry
        Assert.Equal(Enumerable.Range(1, (int)expected[0].Sequence).Select(n => (long)n).Reverse(), expected.Select(e => e.Sequence));
        Assert.InRange(expected.Count, 15, 25);
    }

    [Fact]
    public async Task A_merged_token_of_the_first_format_pages_on_to_the_same_entries()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        for (var i = 0; i < 6; i++)
            await world.Instance(1 + i % 3).Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(EscrowWorld.Product, 1)]));
        var app = world.Instance(1);
        var token = (await app.Stock.GetLedgerAsync(EscrowWorld.Product, 3)).ContinuationToken!;
        Assert.StartsWith("m2|", token, StringComparison.Ordinal);

        var m1 = string.Join('|', ["m1", .. token.Split('|').Skip(1).Select(part => part.Split('=', 2) is [var name, var cursor]
            ? $"{name}={(cursor.Length == 0 ? "" : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cursor)))}" : throw new FormatException(part))]);

        var expected = await RestAsync(app, EscrowWorld.Product, token);
        Assert.Equal(expected.Select(e => (e.ProductId, e.Sequence)), (await RestAsync(app, EscrowWorld.Product, m1)).Select(e => (e.ProductId, e.Sequence)));
        Assert.Contains(expected, e => e.ReferenceId == "O0");
    }

    [Theory]
    [InlineData("h.5.~5~100~~@0")]
    [InlineData("h.5.~5~100~~@x")]
    [InlineData("h.5.~5~100~~@")]
    [InlineData("h.9.~9~100~1~after:x")] // the port's position in the store's place (a review found it answered 500)
    [InlineData("h.9.~9~100~1~after:led|abc")]
    [InlineData("h.9.~9~100~1~after:")]
    [InlineData("m2|p=h.9.~9~100~1~after:x")]
    public async Task A_forged_position_is_a_validation_error(string token)
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("P");
        for (var i = 0; i < 3; i++) await s.StockAsync("P", "L1", i + 1);
        await Assert.ThrowsAsync<ValidationException>(async () =>
        {
            for (var (next, pages) = ((string?)token, 0); next is not null && pages < 10; pages++)
                next = (await s.App.Stock.GetLedgerAsync("P", 1, next)).ContinuationToken;
        });
    }
}
