using Inventory.Domain;
using static Inventory.Core.Tests.Domain.Stocks;

namespace Inventory.Core.Tests.Domain;

/// <summary>
/// A transfer from a location that never held the product was refused as 409 invalid-state ("no stock at"), while one
/// from a location holding too little is 409 insufficient-stock with what is available: for the caller both are the same
/// fact (nothing, or not enough, to move there), so both are insufficient-stock, the former with 0 available.
/// </summary>
public class ATransferFromALocationWithoutTheProductIsInsufficientStockTests
{
    [Fact]
    public void A_transfer_from_a_location_without_a_balance_names_the_location_and_zero_available()
    {
        var stock = With(Balance("A", 10));
        var e = Assert.Throws<InsufficientStockException>(() => stock.Transfer(new TransferRequest("T1", "C", "B", 2, "t"), Location("B"), Now));
        Assert.Equal(("T1", "C"), (e.TransferId, e.FromLocationId));
        Assert.Equal(new ShortLine(stock.ProductId, 2, 0), Assert.Single(e.Lines));
        Assert.False(stock.HasChanges);
    }
}
