using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

public class LedgerQueryTests
{
    [Fact]
    public async Task The_ledger_pages_newest_first_with_a_continuation_token()
    {
        // Full pages, to pin the page boundaries (the store may otherwise answer short pages, as the real ones may).
        var s = StockScenario.Over(new InMemoryDocumentStore { ShortPages = false });
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        for (var i = 0; i < 7; i++) await s.StockAsync("A", "L1", i + 1);

        var first = await s.App.Stock.GetLedgerAsync("A", 5);
        Assert.Equal([7L, 6L, 5L, 4L, 3L], first.Entries.Select(e => e.Quantity));
        Assert.NotNull(first.ContinuationToken);
        var second = await s.App.Stock.GetLedgerAsync("A", 5, first.ContinuationToken);
        Assert.Equal([2L, 1L], second.Entries.Select(e => e.Quantity));
        Assert.Null(second.ContinuationToken);
        Assert.All(first.Entries.Concat(second.Entries), e => Assert.Equal((TxnType.Receive, "api"), (e.TxnType, e.PerformedBy)));
        await Assert.ThrowsAsync<ProductNotFoundException>(() => s.App.Stock.GetLedgerAsync("Z", 5));
    }

    [Fact]
    public async Task A_token_the_store_did_not_issue_is_a_validation_error_of_continuationToken()
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");

        var e = await Assert.ThrowsAsync<ValidationException>(() => s.App.Stock.GetLedgerAsync("A", 5, "bal|L1"));

        Assert.Equal("continuationToken", Assert.Single(e.Errors).Field);
    }
}
