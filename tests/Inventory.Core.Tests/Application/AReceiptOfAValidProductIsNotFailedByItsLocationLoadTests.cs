using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Location loads are advisory: "never a stock quantity, and never the reason a committed movement fails"
/// (<c>LocationLoads</c>). A receipt the API accepts (a pallet-sized product, a line of at most 1,000,000,000 units) is
/// either refused before anything is written, with an error that says why, or applied and answered as applied. It must
/// not be committed and then fail while its load (dimensions × on hand, in mm³) overflows a checked <c>long</c>: the
/// caller gets a 500 for stock that moved, and every retry (a replay runs the same post-commit step) fails the same way.
/// </summary>
public class AReceiptOfAValidProductIsNotFailedByItsLocationLoadTests
{
    [Fact]
    public async Task A_receipt_is_either_refused_before_its_commit_or_answered_as_applied()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        // A 2.1 m cube (a loaded pallet): 9.261e9 mm³ a unit.
        await s.App.SaveProduct.ExecuteAsync(new Product
        {
            ProductId = "pallet", Sku = "PALLET", Name = "Loaded pallet", Dimensions = new Dimensions(2_100, 2_100, 2_100),
        });

        // One line of the largest quantity a request may carry: 9.261e18 mm³, past long.MaxValue (9.223e18).
        var receipt = new ReceiveCommand("pallet", "L1", Limits.MaxQuantity, "r-1");
        var error = await Record.ExceptionAsync(() => s.App.Receive.ExecuteAsync(receipt));
        var onHand = (await s.App.Stock.GetStockAsync("pallet")).QuantityOnHand;

        if (error is not null)
            Assert.True(error is DomainException && onHand == 0,
                $"the receipt failed with {error.GetType().Name} ({error.Message}) after {onHand} units were committed");
        else
        {
            Assert.Equal(Limits.MaxQuantity, onHand);
            Assert.True((await s.App.Receive.ExecuteAsync(receipt)).Replayed);
        }
    }
}
