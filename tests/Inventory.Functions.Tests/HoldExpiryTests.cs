using System.Net;
using Inventory.Functions.Tests.Support;
using Inventory.LocalHost;
using Microsoft.Extensions.Configuration;

namespace Inventory.Functions.Tests;

/// <summary>The ExpireHolds timer function, run through the local host's admin API, and the schedule it runs on.</summary>
public sealed class HoldExpiryTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task The_admin_api_runs_the_timer_function_which_releases_expired_holds()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "hold-1", pickFace: 10);
        Assert.Equal(HttpStatusCode.Created,
            (await api.PostJsonAsync("/api/reservations", """{"orderId":"o-hold-1","holdMinutes":5,"lines":[{"productId":"hold-1","quantity":4}]}""")).Status);

        Assert.Equal(HttpStatusCode.Accepted, (await api.PostJsonAsync("/admin/functions/ExpireHolds", """{"input":""}""")).Status);
        Assert.Equal(4, (await api.GetJsonAsync("/api/products/hold-1/stock")).Body.Long("quantityReserved"));

        host.Clock.Offset = TimeSpan.FromMinutes(6);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostJsonAsync("/admin/functions/ExpireHolds", """{"input":""}""")).Status);
        Assert.Equal(0, (await api.GetJsonAsync("/api/products/hold-1/stock")).Body.Long("quantityReserved"));
        Assert.Equal("RELEASED", (await api.GetJsonAsync("/api/reservations/o-hold-1")).Body.Str("status"));
    }

    [SkippableFact]
    public async Task The_admin_api_refuses_unknown_and_http_functions()
    {
        var api = host.Api();
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostJsonAsync("/admin/functions/NoSuchFunction", "{}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostJsonAsync("/admin/functions/Health", "{}")).Status);
    }

    [Fact]
    public void A_schedule_setting_resolves_from_configuration_and_fires_on_its_ncrontab()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["HoldSweepSchedule"] = "0 */5 * * * *" }).Build();
        var expression = TimerSchedule.Resolve("%HoldSweepSchedule%", configuration);
        var from = new DateTimeOffset(2025, 1, 1, 10, 7, 30, TimeSpan.Zero);

        Assert.Equal("0 */5 * * * *", expression);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 10, 0, TimeSpan.Zero), TimerSchedule.Next(expression, from));
        Assert.Equal(from.AddMinutes(2), TimerSchedule.Next("00:02:00", from));
        Assert.Throws<InvalidOperationException>(() => TimerSchedule.Resolve("%Missing%", configuration));
    }
}

/// <summary>A host whose store does not answer still starts, and says so on /api/health.</summary>
public sealed class HealthWhenStoreIsDownTests(HealthWhenStoreIsDownTests.Host host) : IClassFixture<HealthWhenStoreIsDownTests.Host>
{
    public sealed class Host : LocalHostFactory
    {
        protected override string? ConnectionString =>
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        protected override bool CreateTables => false;
    }

    [Fact]
    public async Task Health_is_503_problem()
    {
        var health = await host.CreateClient().GetJsonAsync("/api/health");
        Http.AssertProblem(health, HttpStatusCode.ServiceUnavailable, "store-unavailable");
    }
}
