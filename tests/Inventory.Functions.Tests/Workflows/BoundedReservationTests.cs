using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>
/// Issue 12, defect 4: no document grows with the number of operations applied to it. A thousand partial fulfilments
/// with long references leave the reservation releasable, fulfillable and expirable.
/// </summary>
public sealed class BoundedReservationTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task A_thousand_partial_fulfilments_with_long_references_leave_the_reservation_working()
    {
        var api = host.Api();
        await api.ProductAsync("bnd-p", 1_100);
        Assert.Equal(HttpStatusCode.Created, (await api.ReserveAsync("bnd-1", ("bnd-p", 1_050))).Status);

        var padding = new string('r', 110);
        for (var i = 0; i < 1_000; i++)
        {
            var r = await api.FulfilAsync("bnd-1", $"{padding}-{i:D6}", ("bnd-p", 1));
            Assert.True(r.Status == HttpStatusCode.OK, $"fulfilment {i}: {(int)r.Status} {r.Body}");
        }
        // A replay of an early reference is still recognised after a thousand others.
        Assert.Equal(HttpStatusCode.OK, (await api.FulfilAsync("bnd-1", $"{padding}-{0:D6}", ("bnd-p", 1))).Status);

        var released = await api.PostJsonAsync("/api/reservations/bnd-1/release", "{}");
        Assert.Equal(HttpStatusCode.OK, released.Status);
        var stock = await api.StockAsync("bnd-p");
        Assert.Equal(100, stock.Long("quantityOnHand"));
        Assert.Equal(0, stock.Long("quantityReserved"));
        Assert.Equal(1_000, Calls.ShippedOf((await api.GetJsonAsync("/api/reservations/bnd-1")).Body, "bnd-p"));
    }
}
