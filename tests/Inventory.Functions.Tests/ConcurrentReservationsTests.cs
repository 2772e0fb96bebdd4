using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

public sealed class ConcurrentReservationsTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task Sixty_four_concurrent_reservations_on_one_product_never_oversell()
    {
        const int stock = 40, orders = 64;
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "hot-1", pickFace: 25, bulk: 15);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, orders).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await api.PostJsonAsync("/api/reservations", $$"""{"orderId":"hot-{{i}}","lines":[{"productId":"hot-1","quantity":1}]}""");
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(calls);

        var statuses = results.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(statuses.Keys.All(s => s is HttpStatusCode.Created or HttpStatusCode.Conflict),
            "unexpected statuses: " + string.Join(", ", statuses.Select(kv => $"{(int)kv.Key}x{kv.Value}")));
        Assert.Equal(stock, statuses.GetValueOrDefault(HttpStatusCode.Created));
        Assert.All(results.Where(r => r.Status == HttpStatusCode.Conflict), r => Assert.Equal("insufficient-stock", r.Body.Str("code")));

        var view = (await api.GetJsonAsync("/api/products/hot-1/stock")).Body;
        Assert.Equal(stock, view.Long("quantityReserved"));
        Assert.Equal(0, view.Long("quantityAvailable"));
        var report = await host.App.Invariants.CheckAsync("hot-1");
        Assert.True(report.Holds, string.Join("; ", report.Violations));
        Assert.Empty(report.Shortages);
    }
}
