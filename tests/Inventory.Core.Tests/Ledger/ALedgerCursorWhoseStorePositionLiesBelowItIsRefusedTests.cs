using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: a ledger token <c>h.{below}.{position}</c> holds the sequence below which the listing goes on and the
/// hot ledger's position (<c>~{below}~{density}~{pending}~@{n}</c>). <c>LedgerPosition.Parse</c> now refuses a position
/// whose own parts disagree (<c>ALedgerTokenWhosePartsDisagreeIsRefusedTests</c>), but nothing compares the cursor's
/// <c>below</c> (<c>LedgerCursor.Parse</c>, <c>LedgerSource.ReadAsync</c>) with the position's: as issued the position
/// never lies below the cursor's (a page sets both to the last entry listed; a merged page only lowers the cursor's),
/// yet one that does is read as given, and the page silently skips the entries between (here 29..20 of a ledger of
/// single-entry documents), where a token the service did not issue must be a 400, never a wrong page.
/// </summary>
public sealed class ALedgerCursorWhoseStorePositionLiesBelowItIsRefusedTests
{
    [Theory]
    [InlineData("h.30.~20~100~~@20")] // the listing goes on below 30; the position, below 20
    [InlineData("h.30.~20~100~20~")]  // document 20 pending and the last of the store: the page ends the listing at once
    public async Task A_cursor_whose_position_goes_on_below_where_it_says_the_listing_goes_on_is_a_validation_error(string token)
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("P");
        for (var i = 0; i < 40; i++) await s.StockAsync("P", "L1", i + 1); // one document per entry, sequences 1..40

        var outcome = await Record.ExceptionAsync(() => s.App.Stock.GetLedgerAsync("P", 5, token));
        if (outcome is null)
        {
            var page = await s.App.Stock.GetLedgerAsync("P", 5, token);
            Assert.Fail($"token {token} (below 30) was taken: the page lists [{string.Join(",", page.Entries.Select(e => e.Sequence))}] "
                + $"and {(page.ContinuationToken is null ? "ends the ledger" : "goes on")}, not 29 first");
        }
        Assert.IsType<ValidationException>(outcome);
    }
}
