using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14 with issue 17's retention: a hot product's orders write their entries in its buckets, so the archival run
/// moves a bucket's old entries out of the hot store as it does the product's; the product's ledger still lists every
/// entry (hot, then archived, each ledger), and the audits still hold.
/// </summary>
public sealed class EscrowLedgerArchivalTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    /// <summary>Retention 30 days on 10 April: January and February are archived, March is not.</summary>
    private static readonly DateTimeOffset ArchiveDay = new(2026, 4, 10, 3, 30, 0, TimeSpan.Zero);

    private sealed record World(InMemoryDocumentStore Memory, InMemoryLedgerArchive Archive, ManualClock Clock)
    {
        public InventoryApplication Instance(int bucket) => new(Memory, Clock, ledger: new LedgerOptions { CheckpointEvery = 10, ArchiveAfterDays = 30 }, archive: Archive)
        {
            EscrowOptions = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { EscrowWorld.Product }, Buckets = 4, Bucket = bucket },
        };
    }

    /// <summary>
    /// P in escrow from January to April (until <paramref name="stopDaysBefore"/> days before the archive day): orders
    /// reserved in buckets 2 and 3 every few days, most released, some shipped.
    /// </summary>
    private static async Task<World> TradedAsync(int stopDaysBefore = 2)
    {
        var world = new World(new InMemoryDocumentStore(), new InMemoryLedgerArchive(), new ManualClock(Start));
        var s = new StockScenario(world.Instance(1));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync(EscrowWorld.Product);
        await s.StockAsync(EscrowWorld.Product, "L1", 100_000);
        for (var i = 1; world.Clock.GetUtcNow() < ArchiveDay - TimeSpan.FromDays(stopDaysBefore); i++)
        {
            var app = world.Instance(2 + i % 2);
            await app.Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(EscrowWorld.Product, 1 + i % 3)]));
            if (i % 4 == 0) await app.Fulfill.ExecuteAsync(new ReservationChangeCommand($"O{i}"));
            else await app.Release.ExecuteAsync(new ReservationChangeCommand($"O{i}"));
            world.Clock.Advance(TimeSpan.FromHours(9));
        }
        world.Clock.Advance(ArchiveDay - world.Clock.GetUtcNow());
        return world;
    }

    private static async Task<List<LedgerEntry>> LedgerAsync(InventoryApplication app, int pageSize)
    {
        var entries = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var page = await app.Stock.GetLedgerAsync(EscrowWorld.Product, pageSize, token);
            entries.AddRange(page.Entries);
            token = page.ContinuationToken;
        } while (token is not null);
        return entries;
    }

    private static async Task<int> HotEntriesAsync(InventoryApplication app, string partition)
    {
        var count = 0;
        string? token = null;
        do
        {
            var (entries, next) = await app.Partitions.LedgerPageAsync(partition, 1000, token, CancellationToken.None);
            count += entries.Count;
            token = next;
        } while (token is not null);
        return count;
    }

    [Fact]
    public async Task The_archival_run_moves_a_buckets_old_entries_and_the_products_ledger_still_lists_every_entry()
    {
        var world = await TradedAsync();
        var app = world.Instance(1);
        var before = await LedgerAsync(app, 1000);
        var hotBefore = await HotEntriesAsync(app, EscrowWorld.Bucket(2).Partition);

        var run = await app.Get<LedgerArchival>().ExecuteAsync();

        Assert.Equal(0, run.Errors);
        var parts = await world.Archive.ListAsync(EscrowWorld.Bucket(2).Partition, CancellationToken.None);
        Assert.Equal(["2026-01", "2026-02"], parts.Select(p => p.Month).Order(StringComparer.Ordinal));
        Assert.NotEmpty(await world.Archive.ListAsync(EscrowWorld.Bucket(3).Partition, CancellationToken.None));
        var hotAfter = await HotEntriesAsync(app, EscrowWorld.Bucket(2).Partition);
        Assert.True(hotAfter < hotBefore / 2, $"{hotAfter} of {hotBefore} entries of bucket 2 still hot");
        foreach (var size in new[] { 1000, 7 })
            Assert.Equal(before.Select(e => (e.ProductId, e.Sequence)), (await LedgerAsync(app, size)).Select(e => (e.ProductId, e.Sequence)));
        Assert.True((await app.Invariants.CheckAsync(EscrowWorld.Product)).Holds);
        foreach (var bucket in new[] { 2, 3 })
        {
            var full = await app.Invariants.CheckFullAsync(EscrowWorld.Bucket(bucket).Partition, null);
            Assert.True(full.Holds, string.Join("\n", full.Violations));
            Assert.True(full.ArchivedEntries > 0);
        }
    }

    /// <summary>Found by the second review's stress (22:13): archival runs while a client pages (ledgers idle for 40-odd days are archived down to their tail).</summary>
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 7)]
    [InlineData(45, 3)]
    [InlineData(46, 2)]
    public async Task Archival_between_pages_loses_nothing_and_lists_nothing_twice(int stopDaysBefore, int pageSize)
    {
        var world = await TradedAsync(stopDaysBefore);
        var app = world.Instance(1);
        var whole = await LedgerAsync(app, 1000);
        var page = await app.Stock.GetLedgerAsync(EscrowWorld.Product, pageSize);
        var listed = new List<LedgerEntry>(page.Entries);

        var run = await app.Get<LedgerArchival>().ExecuteAsync();
        Assert.Equal(0, run.Errors);
        Assert.True(run.EntriesMoved > 0);
        for (var token = page.ContinuationToken; token is not null;)
        {
            page = await app.Stock.GetLedgerAsync(EscrowWorld.Product, pageSize, token);
            listed.AddRange(page.Entries);
            token = page.ContinuationToken;
        }

        Assert.Equal(whole.Select(e => (e.ProductId, e.Sequence)), listed.Select(e => (e.ProductId, e.Sequence)));
    }
}
