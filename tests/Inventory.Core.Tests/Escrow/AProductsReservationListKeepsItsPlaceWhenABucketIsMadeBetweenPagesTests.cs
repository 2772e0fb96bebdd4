using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// A product's reservation list goes on into its escrow buckets, and its token names the partition it continues by its
/// position in the list of the product's buckets (<c>PartitionCursor</c>: 0 the product, then the buckets the head
/// lists, in bucket order). A bucket made between two pages whose index sorts before the one a token is in shifts every
/// position after it: the token then continues another bucket's partition, and the bucket it was in is read again from
/// its start (or, as the token's store position belongs to another partition, the token is refused). An order that was reserved, and stayed reserved, through the whole listing must be listed exactly once.
/// </summary>
public class AProductsReservationListKeepsItsPlaceWhenABucketIsMadeBetweenPagesTests
{
    [Fact]
    public async Task Orders_of_a_bucket_are_listed_once_when_a_lower_bucket_is_made_while_an_operator_pages()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        foreach (var order in new[] { "O1", "O2", "O3" })
            await world.Instance(3).Reserve.ExecuteAsync(new ReserveCommand(order, [new(EscrowWorld.Product, 2)]));
        var list = world.Instance(3).Get<ProductReservations>();

        var listed = new List<string>();
        var first = await list.ListAsync(EscrowWorld.Product, ReservationStatus.Active, pageSize: 1);
        listed.AddRange(first.Items.Select(r => r.OrderId));
        Assert.NotNull(first.ContinuationToken);

        // Another instance's first order makes bucket 1, listed before bucket 3 from now on.
        await world.Instance(1).Reserve.ExecuteAsync(new ReserveCommand("O0", [new(EscrowWorld.Product, 2)]));

        var token = first.ContinuationToken;
        var pages = 0;
        while (token is not null && ++pages < 50)
        {
            ListPage<ProductReservationItem>? page = null;
            var refused = await Record.ExceptionAsync(async () => page = await list.ListAsync(EscrowWorld.Product, ReservationStatus.Active, pageSize: 1, token));
            Assert.True(refused is null, $"page {pages + 1}: the token the list issued was refused: {refused?.Message}");
            listed.AddRange(page!.Items.Select(r => r.OrderId));
            token = page.ContinuationToken;
        }

        // O0 came while the list was being read: it may or may not be listed. The others were there throughout.
        var steady = listed.Where(o => o != "O0").ToArray();
        Assert.True(steady.Order(StringComparer.Ordinal).SequenceEqual(["O1", "O2", "O3"]),
            $"orders reserved throughout the listing were listed as [{string.Join(", ", steady)}]");
    }
}
