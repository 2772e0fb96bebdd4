using Inventory.Application.Stock;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>The history the full-audit token tests over the archive share: product A in W1/L1, one month archivable.</summary>
internal static class ArchivedHistory
{
    /// <summary>
    /// Receives 100,000 of A, adjusts it <paramref name="january"/> times from 5 January and then up to
    /// <paramref name="total"/> adjustments from 20 March (inside the archival window), <paramref name="between"/> apart,
    /// and leaves the clock at archival's run on 10 April.
    /// </summary>
    public static async Task WriteAsync(InventoryApplication app, ManualClock clock, int january, int total, TimeSpan between)
    {
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 100_000, "opening"));
        var i = 0;
        for (; i < january; i++) await AdjustAsync(i);
        clock.Advance(new DateTimeOffset(2026, 3, 20, 9, 0, 0, TimeSpan.Zero) - clock.GetUtcNow());
        for (; i < total; i++) await AdjustAsync(i);
        clock.Advance(new DateTimeOffset(2026, 4, 10, 3, 30, 0, TimeSpan.Zero) - clock.GetUtcNow());

        async Task AdjustAsync(int n)
        {
            await app.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", n % 2 == 0 ? -1 : 1, null, "count", $"a-{n}"));
            clock.Advance(between);
        }
    }

    /// <summary>Reads the full audit page by page with the tokens it issues (never a 400): every page holds, and it ends.</summary>
    public static async Task AuditToTheEndAsync(InventoryApplication app)
    {
        var pages = 0;
        string? token = null;
        do
        {
            var page = await app.Invariants.CheckFullAsync("A", token);
            Assert.True(page.Holds, string.Join("\n", page.Violations));
            token = page.ContinuationToken;
            pages++;
        } while (token is not null && pages < 10);
        Assert.Null(token);
    }
}
