using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review of the state riding in the ledger: the route leaves marks out (<see cref="TxnType.Mark"/>, a refusal's
/// record), and it did so after reading its page, so a product refusing order after order (sold out) answered "the latest
/// three transactions" with none while a token remained. The page now reads on until it holds what was asked or the ledger ends.
/// </summary>
public class ALedgerPageFillsPastTheMarksOfRefusalsTests
{
    [Fact]
    public async Task The_latest_entries_are_listed_whole_under_the_marks_of_many_refusals()
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("P");
        for (var i = 0; i < 3; i++) await s.StockAsync("P", "L1", 1);
        for (var i = 0; i < 12; i++)
            await Assert.ThrowsAnyAsync<DomainException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand($"too-many-{i}", [new("P", 5)])));

        var page = await s.App.Stock.GetLedgerAsync("P", 3);

        Assert.Equal(3, page.Entries.Count);
        Assert.All(page.Entries, e => Assert.Equal(TxnType.Receive, e.TxnType));
        Assert.Null((await s.App.Stock.GetLedgerAsync("P", 3, page.ContinuationToken)).ContinuationToken);
    }
}
