using System.Net;
using System.Text;
using System.Text.Json;
using Inventory.Domain;
using Inventory.Functions.Tests.Support;
using Inventory.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Inventory.Functions.Tests;

/// <summary>The local host with a small in-request budget, so a large count answers 202 and the resume timer finishes it.</summary>
public sealed class LargeCountHost : LocalHostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Counts:InRequestRows", "100");
        builder.UseSetting("Counts:InRequestSeconds", "2");
    }
}

/// <summary>Issue 15: a 10,000-row CSV count through the HTTP host on Azurite, answered 202 and polled to COMPLETED, every row applied once.</summary>
public sealed class LargeStockCountRoutesTests(LargeCountHost host) : IClassFixture<LargeCountHost>
{
    private const int Products = 100, Locations = 100;

    private static long Counted(int p, int l) => (p * 7 + l) % 5;

    [SkippableFact]
    public async Task A_ten_thousand_row_csv_is_accepted_polled_to_completed_and_applied_once()
    {
        var api = host.Api();
        api.Timeout = TimeSpan.FromMinutes(5);
        var s = new StockScenario(host.App);
        await s.WarehouseAsync("lc-w");
        await Parallel.ForEachAsync(Enumerable.Range(0, Locations), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (l, _) => await s.LocationAsync("lc-w", $"lc-bin-{l}"));
        await Parallel.ForEachAsync(Enumerable.Range(0, Products), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (p, _) => await s.ProductAsync($"lc-p{p}", $"LC-SKU-{p}"));
        var csv = new StringBuilder("locationId,productId,sku,countedQuantity\n");
        for (var l = 0; l < Locations; l++)
            for (var p = 0; p < Products; p++)
                csv.Append(p % 2 == 0 ? $"lc-bin-{l},lc-p{p},," : $"lc-bin-{l},,LC-SKU-{p},").Append(Counted(p, l)).Append('\n');

        using var response = await api.PostAsync("/api/stock/counts?countId=lc-10k", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        var first = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{response.StatusCode}: {first}");
        Assert.Equal("/api/stock/counts/lc-10k", response.Headers.Location?.OriginalString);
        Assert.Equal(("lc-10k", 10_000, "/api/stock/counts/lc-10k"), (first.Str("countId"), first.GetProperty("rows").GetInt32(), first.Str("statusUrl")));
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            Assert.True(first.Str("status") is "PENDING" or "RUNNING", first.Str("status"));
            Assert.Contains("/api/stock/counts/lc-10k", first.Str("message"), StringComparison.Ordinal);
        }

        // Timers are off in this host: the admin API runs the resume timer, as the Functions host would every minute.
        var deadline = DateTime.UtcNow.AddMinutes(10);
        JsonElement status;
        while (true)
        {
            status = (await api.GetJsonAsync("/api/stock/counts/lc-10k")).Body;
            if (status.Str("status") == "COMPLETED" || DateTime.UtcNow > deadline) break;
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostJsonAsync("/admin/functions/ResumeStockCounts", """{"input":""}""")).Status);
        }
        Assert.Equal(("COMPLETED", 10_000, 10_000, 0, 0), (status.Str("status"), status.GetProperty("processedRows").GetInt32(),
            status.GetProperty("applied").GetInt32(), status.GetProperty("replayed").GetInt32(), status.GetProperty("failed").GetInt32()));

        // Every row's outcome, in file order, over pages.
        var lines = new List<int>();
        string? token = null;
        do
        {
            var page = (await api.GetJsonAsync("/api/stock/counts/lc-10k?pageSize=1000" + (token is null ? "" : "&continuationToken=" + token))).Body;
            foreach (var row in page.GetProperty("results").EnumerateArray())
            {
                Assert.Equal("APPLIED", row.Str("status"));
                lines.Add(row.GetProperty("line").GetInt32());
            }
            token = page.GetProperty("continuationToken").ValueKind == JsonValueKind.Null ? null : page.Str("continuationToken");
        } while (token is not null);
        Assert.Equal(Enumerable.Range(2, 10_000), lines);

        foreach (var p in (int[])[0, 1, 50, 99])
        {
            Assert.Equal(Enumerable.Range(0, Locations).Sum(l => Counted(p, l)), (await host.App.Stock.GetStockAsync($"lc-p{p}")).QuantityOnHand);
            var adjusts = (await s.LedgerAsync($"lc-p{p}")).Count(e => e.TxnType == TxnType.Adjust && e.ReferenceId.StartsWith("lc-10k:", StringComparison.Ordinal));
            Assert.Equal(Locations, adjusts);
            await s.AssertBooksBalanceAsync($"lc-p{p}");
        }

        // Sent again: its status, nothing applied twice. Other rows under the same id: 409.
        using var again = await api.PostAsync("/api/stock/counts?countId=lc-10k", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        var replay = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((HttpStatusCode.OK, "COMPLETED", 10_000), (again.StatusCode, replay.Str("status"), replay.GetProperty("applied").GetInt32()));
        Assert.Equal(Locations, (await s.LedgerAsync("lc-p0")).Count(e => e.TxnType == TxnType.Adjust));
        using var other = await api.PostAsync("/api/stock/counts?countId=lc-10k", new StringContent(csv.ToString().Replace(",4\n", ",3\n", StringComparison.Ordinal), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("count-conflict", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_count_never_recorded_is_404_and_a_bad_page_size_is_400()
    {
        var api = host.Api();
        Http.AssertProblem(await api.GetJsonAsync("/api/stock/counts/never-sent"), HttpStatusCode.NotFound, "count-not-found");
        Http.AssertProblem(await api.GetJsonAsync("/api/stock/counts/never-sent?pageSize=0"), HttpStatusCode.BadRequest, "validation-failed");
    }
}
