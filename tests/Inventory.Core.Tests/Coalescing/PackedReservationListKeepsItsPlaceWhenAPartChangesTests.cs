using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Found in review: <c>GET /api/products/{id}/reservations</c> pages through a reservation pack part by part; its token
/// said how many of the part's reservations were taken, and the next page read the part again from the store position
/// before it. A reservation listed on an earlier page that closes meanwhile leaves the part (or deletes it), and a new
/// part may sort before it, so the count no longer pointed at the same place: open orders skipped or listed twice. The
/// token now names the part and the last order taken (<c>ReservationCursor</c>).
/// </summary>
public class PackedReservationListKeepsItsPlaceWhenAPartChangesTests
{
    private static async Task<HotProduct> BatchOfAsync(params string[] orders)
    {
        var p = await HotProduct.CreateAsync();
        await p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L1", 100, "more"));
        await p.InOneBatchAsync(orders.Select(o => (Func<Task<ReserveResult>>)(() =>
            p.App.Reserve.ExecuteAsync(new ReserveCommand(o, [new(HotProduct.Id, 1)])))).ToArray());
        return p;
    }

    /// <summary>Pages through the list; after the first page <paramref name="between"/> runs (a change to an order listed already).</summary>
    private static async Task<List<string>> ListAsync(HotProduct p, ReservationStatus? status, int pageSize, Func<IReadOnlyList<string>, Task> between)
    {
        var listed = new List<string>();
        string? token = null;
        var first = true;
        do
        {
            var page = await p.App.ProductReservations.ListAsync(HotProduct.Id, status, pageSize, token);
            listed.AddRange(page.Items.Select(r => r.OrderId));
            token = page.ContinuationToken;
            if (first && listed.Count > 0)
            {
                first = false;
                await between(listed.ToArray());
            }
            Assert.True(listed.Count < 50, "the list goes round: " + string.Join(",", listed));
        } while (token is not null);
        return listed;
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ReservationStatus.Active)]
    public async Task An_open_order_of_a_part_is_still_listed_after_an_order_listed_before_it_is_fulfilled(ReservationStatus? status)
    {
        var p = await BatchOfAsync("O00", "O01", "O02", "O03");
        Assert.Single(await p.Memory.ReadAsync(Collection.Products, HotProduct.Id, [], [ProductPartitionIds.PackPrefix]));

        // Page one takes O00 and O01 of the part; then O00 ships and leaves the part (now O01, O02, O03).
        var listed = await ListAsync(p, status, 2, async seen =>
        {
            Assert.Contains("O00", seen);
            await p.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O00", Reference: "ship-O00"));
        });

        // O01, O02 and O03 stayed open the whole time: each must be listed (O00 once as active, maybe again as fulfilled).
        foreach (var open in new[] { "O01", "O02", "O03" })
            Assert.True(listed.Count(o => o == open) == 1, $"{open} listed {listed.Count(o => o == open)} times: {string.Join(",", listed)}");
    }

    [Fact]
    public async Task The_next_part_is_listed_whole_after_the_part_being_paged_is_emptied_and_deleted()
    {
        // Two parts or more: a small document size cuts the batch's pack in several.
        var p = await HotProduct.CreateAsync(limits: new StoreLimits(100, 4 * 1024 * 1024, 4 * 1024, "small documents"));
        await p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L1", 100, "more"));
        var orders = Enumerable.Range(0, 12).Select(i => $"O{i:D2}").ToArray();
        await p.InOneBatchAsync(orders.Select(o => (Func<Task<ReserveResult>>)(() =>
            p.App.Reserve.ExecuteAsync(new ReserveCommand(o, [new(HotProduct.Id, 1)])))).ToArray());
        var parts = (await p.Memory.ReadAsync(Collection.Products, HotProduct.Id, [], [ProductPartitionIds.PackPrefix]))
            .OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => ReservationWrites.Packed(d.Body).Select(r => r.OrderId).Order(StringComparer.Ordinal).ToArray()).ToArray();
        Assert.True(parts.Length >= 2, $"{parts.Length} parts");

        // Page one takes one order of the first part; then every order of that part is released: the part is deleted.
        var listed = await ListAsync(p, ReservationStatus.Active, 1, async seen =>
        {
            Assert.Equal([parts[0][0]], seen);
            foreach (var o in parts[0]) await p.App.Release.ExecuteAsync(new ReservationChangeCommand(o, Reference: "cancel-" + o));
        });

        // The second part was never touched: every order of it is listed.
        foreach (var open in parts[1])
            Assert.True(listed.Contains(open), $"{open} (second part, still open) not listed: {string.Join(",", listed)}");
    }

    [Fact]
    public async Task An_order_listed_once_is_not_listed_again_when_a_new_part_sorts_before_the_part_being_paged()
    {
        var p = await BatchOfAsync("O00", "O01", "O02", "O03");

        // Page one takes O00 and O01; then a new order of the same instance and tenth (the same pack name) is reserved:
        // its part, named by its order, sorts before O00's.
        var listed = await ListAsync(p, ReservationStatus.Active, 2, async seen =>
        {
            Assert.Equal(["O00", "O01"], seen);
            await p.App.Reserve.ExecuteAsync(new ReserveCommand("A1", [new(HotProduct.Id, 1)]));
        });

        // Nothing of O00's part changed: each of its orders is listed exactly once.
        foreach (var order in new[] { "O00", "O01", "O02", "O03" })
            Assert.True(listed.Count(o => o == order) == 1, $"{order} listed {listed.Count(o => o == order)} times: {string.Join(",", listed)}");
    }
}
