using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

public sealed class ReservationRoutesTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task A_reservation_is_201_with_allocations_by_location()
    {
        var api = host.Api();
        var s = await LocalHostFactory.SeedAsync(api, "res-1", pickFace: 3, bulk: 10);
        var created = await api.PostJsonAsync("/api/reservations", """{"orderId":"o-res-1","lines":[{"productId":"res-1","quantity":5}]}""");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var line = created.Body.GetProperty("lines")[0];
        Assert.Equal(5, line.Long("reserved"));
        var allocations = line.GetProperty("allocations").EnumerateArray().ToDictionary(a => a.Str("locationId"), a => a.Long("quantity"));
        Assert.Equal(new Dictionary<string, long> { [s.PickLocation] = 3, [s.BulkLocation] = 2 }, allocations);
        Assert.Equal(5, (await api.GetJsonAsync("/api/products/res-1/stock")).Body.Long("quantityReserved"));
        Assert.Equal("RESERVED", (await api.GetJsonAsync("/api/reservations/o-res-1")).Body.Str("status"));
    }

    [SkippableFact]
    public async Task A_replayed_order_is_200_with_the_same_body_and_no_second_effect()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "res-2", pickFace: 10);
        const string body = """{"orderId":"o-res-2","lines":[{"productId":"res-2","quantity":4}]}""";
        var first = await api.PostJsonAsync("/api/reservations", body);
        var replay = await api.PostJsonAsync("/api/reservations", body);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Equal(first.Body.GetRawText(), replay.Body.GetRawText());
        Assert.Equal(4, (await api.GetJsonAsync("/api/products/res-2/stock")).Body.Long("quantityReserved"));
    }

    [SkippableFact]
    public async Task The_same_order_with_different_lines_is_409_order_conflict()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "res-3", pickFace: 10);
        await api.PostJsonAsync("/api/reservations", """{"orderId":"o-res-3","lines":[{"productId":"res-3","quantity":1}]}""");
        var conflict = await api.PostJsonAsync("/api/reservations", """{"orderId":"o-res-3","lines":[{"productId":"res-3","quantity":2}]}""");

        Http.AssertProblem(conflict, HttpStatusCode.Conflict, "order-conflict");
        Assert.Equal("o-res-3", conflict.Body.Str("orderId"));
        Assert.Equal(1, (await api.GetJsonAsync("/api/products/res-3/stock")).Body.Long("quantityReserved"));
    }

    [SkippableFact]
    public async Task Not_enough_stock_is_409_with_requested_and_available_per_line()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "res-4a", pickFace: 10);
        await LocalHostFactory.SeedAsync(api, "res-4b", pickFace: 2);
        var refused = await api.PostJsonAsync("/api/reservations",
            """{"orderId":"o-res-4","lines":[{"productId":"res-4a","quantity":5},{"productId":"res-4b","quantity":3}]}""");

        Http.AssertProblem(refused, HttpStatusCode.Conflict, "insufficient-stock");
        var lines = refused.Body.GetProperty("lines").EnumerateArray().ToDictionary(l => l.Str("productId"), l => (l.Long("requested"), l.Long("available")));
        Assert.Equal((3L, 2L), lines["res-4b"]);
        Assert.Equal((5L, 10L), lines["res-4a"]);
        Assert.Equal(0, (await api.GetJsonAsync("/api/products/res-4a/stock")).Body.Long("quantityReserved"));
        Assert.Equal(0, (await api.GetJsonAsync("/api/products/res-4b/stock")).Body.Long("quantityReserved"));
    }

    [SkippableFact]
    public async Task Partial_fulfilment_then_release_of_the_rest()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "res-5", pickFace: 10);
        await api.PostJsonAsync("/api/reservations", """{"orderId":"o-res-5","lines":[{"productId":"res-5","quantity":6}]}""");

        var shipped = await api.PostJsonAsync("/api/reservations/o-res-5/fulfill", """{"lines":[{"productId":"res-5","quantity":2}]}""");
        Assert.Equal(HttpStatusCode.OK, shipped.Status);
        Assert.Equal(2, shipped.Body.GetProperty("lines")[0].Long("shipped"));
        var released = await api.SendAsync(HttpMethod.Post, "/api/reservations/o-res-5/release");
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal(4, released.Body.GetProperty("lines")[0].Long("released"));

        var stock = (await api.GetJsonAsync("/api/products/res-5/stock")).Body;
        Assert.Equal(8, stock.Long("quantityOnHand"));
        Assert.Equal(0, stock.Long("quantityReserved"));
        Assert.True((await host.App.Invariants.CheckAsync("res-5")).Holds);
    }
}
