using System.Buffers.Text;
using System.Text;
using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review of 6b0796b: a product's reservation list token now names the bucket by index (<c>p2</c>), and the
/// list walks marked buckets too (<c>BucketsWithRecordsAsync</c>). Tokens issued before (<c>p1</c>) "still read"
/// (<c>PartitionCursor</c>'s doc), but a <c>p1</c> position is taken as a place in the new list: it was a place in the
/// old one, the product then the buckets its head lists. A product with a bucket marked but never granted (an order
/// refused there) has that bucket in the new list before the one the token was in: the old token goes on in the marked
/// bucket with the other bucket's store position, then reads its own bucket again from the start, so orders already
/// listed are listed twice.
/// </summary>
public class AReservationListTokenIssuedBeforeMarkedBucketsWereListedGoesOnWhereItWasTests
{
    private static readonly string[] Orders = ["O1", "O2", "O3"];

    [Fact]
    public async Task A_p1_token_inside_a_granted_bucket_goes_on_in_that_bucket_when_a_lower_bucket_is_only_marked()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100, atL2: 0);
        // Bucket 1: marked, never granted (an order for W2, where there is nothing, refused there).
        await Assert.ThrowsAsync<InsufficientStockException>(() =>
            world.Instance(1).Reserve.ExecuteAsync(new ReserveCommand("O-W2", [new(EscrowWorld.Product, 5)], WarehouseId: "W2")));
        foreach (var order in Orders)
            await world.Instance(3).Reserve.ExecuteAsync(new ReserveCommand(order, [new(EscrowWorld.Product, 2)]));
        var head = await world.Instance(3).Partitions.BucketsAsync(EscrowWorld.Product, CancellationToken.None);
        Assert.Equal([3], head); // the old list: the product (place 0), then bucket 3 (place 1)
        var list = world.Instance(3).Get<ProductReservations>();

        // Page until an order of bucket 3 is listed; its token goes on inside bucket 3.
        var listed = new List<string>();
        string? token = null;
        for (var pages = 0; listed.Count == 0 && pages < 20; pages++)
        {
            var page = await list.ListAsync(EscrowWorld.Product, ReservationStatus.Active, pageSize: 1, token);
            listed.AddRange(page.Items.Select(r => r.OrderId));
            token = page.ContinuationToken;
        }
        var first = Assert.Single(listed);
        string[] others = [.. Orders.Where(o => o != first)];
        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token!)).Split('|', 3);
        Assert.Equal(["p2", "3"], parts[..2]);
        Assert.NotEqual("", parts[2]);

        // The same position as the list issued it before the change: bucket 3 was the list's place 1.
        var old = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"p1|1|{parts[2]}"));
        var rest = new List<string>();
        token = old;
        for (var pages = 0; token is not null && pages < 50; pages++)
        {
            ListPage<ProductReservationItem>? page = null;
            var refused = await Record.ExceptionAsync(async () => page = await list.ListAsync(EscrowWorld.Product, ReservationStatus.Active, pageSize: 1, token));
            Assert.True(refused is null, $"page {pages + 1} after a p1 token: refused: {refused?.Message}");
            rest.AddRange(page!.Items.Select(r => r.OrderId));
            token = page.ContinuationToken;
        }
        Assert.True(rest.Order(StringComparer.Ordinal).SequenceEqual(others),
            $"a p1 token issued after {first} (inside bucket 3) went on with [{string.Join(", ", rest)}], not [{string.Join(", ", others)}]");
    }
}
