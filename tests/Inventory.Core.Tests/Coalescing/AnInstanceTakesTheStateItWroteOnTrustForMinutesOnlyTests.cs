using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Core.Tests.Ledger;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// An instance remembers the newest ledger document it wrote or read, body and all: ledger documents are created once, so
/// the next sequence's absence proves it still the newest and it is not read again (one point read for the state where
/// there were two). Only archival deletes ledger documents, never within a day, so the body is taken on trust for
/// <see cref="ProductPartitions.MaxSeenAge"/> at most; and never once another instance has committed after it.
/// </summary>
public class AnInstanceTakesTheStateItWroteOnTrustForMinutesOnlyTests
{
    private static ReserveCommand Order(string orderId) => new(orderId, [new(HotProduct.Id, 1)]);

    private static async Task<string> NewestAsync(HotProduct p) => (await HotLedger.DocumentsAsync(p.Memory, HotProduct.Id))[0].Id;

    [Fact]
    public async Task The_ledger_document_an_instance_wrote_is_not_read_again_while_fresh_and_is_read_past_that()
    {
        var clock = new ManualClock(HotProduct.Now);
        var p = await HotProduct.CreateAsync(clock: clock);
        await p.App.Reserve.ExecuteAsync(Order("warm"));
        var wrote = await NewestAsync(p);

        p.Store.ProductReads.Clear();
        await p.App.Reserve.ExecuteAsync(Order("O1"));
        Assert.DoesNotContain(p.Store.ProductReads, ids => ids.Contains(wrote));
        Assert.Contains(p.Store.ProductReads, ids => ids.Single() == ProductPartitionIds.Ledger(ProductPartitionIds.LedgerSequence(wrote) + 1));

        wrote = await NewestAsync(p);
        clock.Advance(ProductPartitions.MaxSeenAge + TimeSpan.FromSeconds(1));
        p.Store.ProductReads.Clear();
        await p.App.Reserve.ExecuteAsync(Order("O2"));
        Assert.Contains(p.Store.ProductReads, ids => ids.Single() == wrote);
        Assert.Equal(3, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
    }

    [Fact]
    public async Task After_another_instance_committed_the_remembered_state_is_not_decided_on()
    {
        var p = await HotProduct.CreateAsync();
        await p.App.Reserve.ExecuteAsync(Order("warm"));
        var other = StockScenario.Over(p.Store, new ManualClock(HotProduct.Now));
        // Nine of P's fifteen units left after these: the first instance's remembered state still counts fourteen.
        await other.App.Reserve.ExecuteAsync(new ReserveCommand("elsewhere", [new(HotProduct.Id, 5)]));

        // Ten more would oversell on the remembered state's balances; the next ledger document is there, so it is read anew.
        await Assert.ThrowsAnyAsync<Inventory.Domain.DomainException>(() => p.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(HotProduct.Id, 10)])));
        Assert.True((await p.App.Reserve.ExecuteAsync(new ReserveCommand("O2", [new(HotProduct.Id, 9)]))).Created);
        Assert.Equal(15, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }
}
