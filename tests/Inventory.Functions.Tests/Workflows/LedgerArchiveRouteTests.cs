using System.Net;
using System.Text.Json;
using Inventory.Functions.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>The local host archiving ledger entries to a container of its own on Azurite's Blob service after 30 days.</summary>
public sealed class ArchivingHost : LocalHostFactory
{
    public string Container { get; } = "ledger-" + Guid.NewGuid().ToString("N")[..12];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ledger:CheckpointEvery", "10");
        builder.UseSetting("Ledger:ArchiveAfterDays", "30");
        builder.UseSetting("Archive:BlobConnectionString", Storage);
        builder.UseSetting("Archive:Container", Container);
    }
}

/// <summary>
/// Issue 17 end to end: the ArchiveLedger timer, invoked through the admin endpoint, moves months past the window to
/// Blob Storage; the transactions route still pages the whole ledger, newest first, each entry once, and the full audit
/// says how many entries it verified from the archive.
/// </summary>
public sealed class LedgerArchiveRouteTests(ArchivingHost host) : IClassFixture<ArchivingHost>
{
    private static async Task<List<JsonElement>> LedgerAsync(HttpClient api, string productId, int pageSize)
    {
        var entries = new List<JsonElement>();
        string? token = null;
        do
        {
            var r = await api.GetJsonAsync($"/api/products/{productId}/transactions?pageSize={pageSize}" + (token is null ? "" : "&continuationToken=" + token));
            Assert.True(r.Status == HttpStatusCode.OK, $"{(int)r.Status} {r.Body}");
            entries.AddRange(r.Body.GetProperty("entries").EnumerateArray());
            token = r.Body.TryGetProperty("continuationToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        } while (token is not null);
        return entries;
    }

    [SkippableFact]
    public async Task The_timer_moves_old_months_and_the_routes_read_through()
    {
        var api = host.Api();
        host.Clock.Offset = TimeSpan.Zero;
        await api.ProductAsync("arc-p", 100);
        for (var i = 0; i < 24; i++)
            await api.PostOkAsync("/api/stock/adjustments", new { adjustmentId = $"arc-a{i}", productId = "arc-p", locationId = "arc-p-pick", delta = -1, reasonCode = "damage" });
        var before = (await LedgerAsync(api, "arc-p", 100)).Select(e => e.GetRawText()).ToArray();
        Assert.Equal(25, before.Length);

        host.Clock.Offset = TimeSpan.FromDays(75); // the month of these 25 entries ended more than 30 days ago
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostJsonAsync("/admin/functions/ArchiveLedger", """{"input":""}""")).Status);

        var parts = await host.App.ArchivedLedger!.Archive.ListAsync("arc-p");
        Assert.Equal(20, Assert.Single(parts).LastSequence); // up to the last checkpoint; 21..25 stay hot after it
        Assert.Equal(before, (await LedgerAsync(api, "arc-p", 100)).Select(e => e.GetRawText()));
        Assert.Equal(before, (await LedgerAsync(api, "arc-p", 7)).Select(e => e.GetRawText()));

        var full = await api.GetJsonAsync("/api/products/arc-p/audit?full=true");
        Assert.True(full.Body.GetProperty("consistent").GetBoolean(), full.Body.ToString());
        Assert.Equal(25, full.Body.Long("ledgerEntries"));
        Assert.Equal(20, full.Body.Long("archivedEntries"));
        Assert.Equal(0, full.Body.Long("verifiedDownTo"));
        Assert.True((await api.GetJsonAsync("/api/products/arc-p/audit")).Body.GetProperty("consistent").GetBoolean());
    }
}
