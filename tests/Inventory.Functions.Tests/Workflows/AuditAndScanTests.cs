using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>Issue 12: the invariant checker over HTTP, and two nightly scans at once (defect 7).</summary>
public sealed class AuditAndScanTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task The_audit_route_runs_the_invariant_checker()
    {
        var api = host.Api();
        await api.ProductAsync("aud-p", 10);
        Assert.Equal(HttpStatusCode.Created, (await api.ReserveAsync("aud-1", ("aud-p", 3))).Status);
        await api.PostOkAsync("/api/reservations/aud-1/fulfill", new { });

        var audit = await api.GetJsonAsync("/api/products/aud-p/audit");
        Assert.Equal(HttpStatusCode.OK, audit.Status);
        Assert.Equal("aud-p", audit.Body.Str("productId"));
        Assert.True(audit.Body.GetProperty("consistent").GetBoolean(), audit.Body.ToString());
        Assert.Empty(audit.Body.GetProperty("findings").EnumerateArray());
        Http.AssertProblem(await api.GetJsonAsync("/api/products/aud-nope/audit"), HttpStatusCode.NotFound, "product-not-found");
    }

    [SkippableFact]
    public async Task Two_nightly_scans_at_once_both_end_well()
    {
        var api = host.Api();
        await api.ProductAsync("scan-p", 10);
        var runs = await Task.WhenAll(api.RunFunctionAsync("DailyReplenishmentScan"), api.RunFunctionAsync("DailyReplenishmentScan"));
        Assert.All(runs, s => Assert.True((int)s is >= 200 and < 300, $"scan answered {(int)s}"));
        Assert.Equal(HttpStatusCode.OK, (await api.GetJsonAsync("/api/replenishment/runs/latest")).Status);
    }
}
