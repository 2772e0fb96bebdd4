using System.Net;
using Inventory.Functions.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>The local host with a checkpoint every 10 ledger entries (setting Ledger:CheckpointEvery).</summary>
public sealed class CheckpointEveryTenHost : LocalHostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ledger:CheckpointEvery", "10");
    }
}

/// <summary>Issue 17: the audit route starts at the latest checkpoint; full=true walks the whole ledger, paged.</summary>
public sealed class LedgerAuditRouteTests(CheckpointEveryTenHost host) : IClassFixture<CheckpointEveryTenHost>
{
    [SkippableFact]
    public async Task The_audit_starts_at_the_latest_checkpoint_and_the_full_audit_reaches_the_first_entry()
    {
        var api = host.Api();
        await api.ProductAsync("ckp-p", 100);
        for (var i = 0; i < 24; i++)
            await api.PostOkAsync("/api/stock/adjustments", new { adjustmentId = $"ckp-a{i}", productId = "ckp-p", locationId = "ckp-p-pick", delta = -1, reasonCode = "damage" });

        var quick = await api.GetJsonAsync("/api/products/ckp-p/audit");
        Assert.Equal(HttpStatusCode.OK, quick.Status);
        Assert.True(quick.Body.GetProperty("consistent").GetBoolean(), quick.Body.ToString());
        Assert.Empty(quick.Body.GetProperty("findings").EnumerateArray());
        Assert.Equal(20, quick.Body.Long("checkpointSequence"));
        Assert.Equal(5, quick.Body.Long("ledgerEntries")); // 21..25: the 20 before are the checkpoint's

        var full = await api.GetJsonAsync("/api/products/ckp-p/audit?full=true");
        Assert.Equal(HttpStatusCode.OK, full.Status);
        Assert.True(full.Body.GetProperty("consistent").GetBoolean(), full.Body.ToString());
        Assert.True(full.Body.GetProperty("full").GetBoolean());
        Assert.Equal(25, full.Body.Long("ledgerEntries"));
        Assert.Equal(0, full.Body.Long("verifiedDownTo"));
        Assert.False(full.Body.TryGetProperty("continuationToken", out var token) && token.ValueKind != System.Text.Json.JsonValueKind.Null,
            "a full audit of 25 entries is one page");
    }

    [SkippableFact]
    public async Task A_bad_audit_query_is_a_validation_problem()
    {
        var api = host.Api();
        await api.ProductAsync("ckp-q", 5);
        Http.AssertProblem(await api.GetJsonAsync("/api/products/ckp-q/audit?full=maybe"), HttpStatusCode.BadRequest, "validation-failed");
        Http.AssertProblem(await api.GetJsonAsync("/api/products/ckp-q/audit?continuationToken=abc"), HttpStatusCode.BadRequest, "validation-failed");
        Http.AssertProblem(await api.GetJsonAsync("/api/products/ckp-q/audit?full=true&continuationToken=bm90LWpzb24"), HttpStatusCode.BadRequest, "validation-failed");
        Http.AssertProblem(await api.GetJsonAsync("/api/products/ckp-none/audit?full=true"), HttpStatusCode.NotFound, "product-not-found");
    }
}
