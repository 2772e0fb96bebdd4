using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: a ledger token <c>h.{below}.~{below}~{density}~{pending}~@{n}</c> is checked for its syntax only. As issued,
/// its parts agree: with documents pending, the store's position is after the last of them (n is the last pending
/// name) and the first of them reaches up to just below <c>below</c>; with none pending, the position is after the
/// document the last entry listed came from (below ≤ n). A token whose parts disagree is read as given, and the page
/// silently skips the entries between (here 15..19, or 16..18, or 13..19 of a ledger of single-entry documents), where
/// a token the service did not issue must be a 400, never a wrong page.
/// </summary>
public sealed class ALedgerTokenWhosePartsDisagreeIsRefusedTests
{
    [Theory]
    [InlineData("h.20.~20~100~~@15")]   // nothing pending, the store's position five documents below `below`
    [InlineData("h.20.~20~100~19~@15")] // document 19 pending, the store's position not after it but after 15
    // (A pending document far below `below` is taken: across a gap in the hot ledger a token as issued has one,
    // ALedgerTokenAcrossAGapInTheHotLedgerIsTakenTests.)
    public async Task A_token_whose_position_lies_below_where_it_says_the_listing_goes_on_is_a_validation_error(string token)
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("P");
        for (var i = 0; i < 30; i++) await s.StockAsync("P", "L1", i + 1); // one document per entry, sequences 1..30

        var outcome = await Record.ExceptionAsync(() => s.App.Stock.GetLedgerAsync("P", 5, token));
        if (outcome is null)
        {
            var page = await s.App.Stock.GetLedgerAsync("P", 5, token);
            Assert.Fail($"token {token} (below 20) was taken: the page lists {string.Join(",", page.Entries.Select(e => e.Sequence))}, not 19 first");
        }
        Assert.IsType<ValidationException>(outcome);
    }
}
