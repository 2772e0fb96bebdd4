using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Issue 14, ≤ 3 documents for a lone single-product reservation: its order's header, the ledger document of its commit
/// (which carries the product's state: there is no head to replace) and its reservation. Counted in the store, over
/// every collection, for reservations one after another on a product already stocked.
/// </summary>
public class ALoneReservationWritesThreeDocumentsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_lone_reservation_writes_its_header_its_ledger_document_and_its_reservation(bool coalesce)
    {
        var p = await HotProduct.CreateAsync(new ConcurrencyOptions { Coalesce = coalesce });
        await p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L1", 100, "more"));
        var written = new List<string>();
        p.Memory.AfterCommit = (collection, _, writes) => { lock (written) written.AddRange(writes.Select(w => $"{collection}:{w.Id}")); };

        for (var i = 0; i < 5; i++)
        {
            written.Clear();
            Assert.True((await p.App.Reserve.ExecuteAsync(new ReserveCommand($"lone-{i}", [new(HotProduct.Id, 1)]))).Created);
            Assert.True(written.Count == 3, $"reservation {i} wrote {written.Count}: {string.Join(", ", written)}");
            Assert.Single(written, w => w.StartsWith("Products:led|", StringComparison.Ordinal));
        }
        p.Memory.AfterCommit = null;

        Assert.Equal(5, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }
}
