using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// The merged ledger's cursors (<see cref="Inventory.Application.Stock.EscrowLedger"/>) stand at a store position in each
/// ledger, so the next page neither scans down from a busy bucket's newest entry nor lists what was written meanwhile:
/// whatever lands during the first page, whatever the packs (found by a second review, 22:13).
/// </summary>
public class EscrowLedgerPositionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static async Task<HashSet<(string, long)>> WrittenAsync(EscrowWorld world)
    {
        var all = new HashSet<(string, long)>();
        foreach (var partition in new[] { "P", "P~1", "P~2", "P~3", "P~4" })
        {
            string? token = null;
            do
            {
                var (entries, next) = await world.Instance(1).Partitions.LedgerPageAsync(partition, 100, token, CancellationToken.None);
                foreach (var e in entries) all.Add((e.ProductId, e.Sequence));
                token = next;
            } while (token is not null);
        }
        return all;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Paging_while_writers_run_concurrently_lists_each_entry_there_at_the_first_page_once_and_nothing_newer(int seed)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 1_000_000);
        for (var i = 0; i < 40; i++)
            await world.Instance(1 + i % 4).Reserve.ExecuteAsync(new ReserveCommand($"S{i}", [new(EscrowWorld.Product, 1)]));
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(1, 4).Select(w => Task.Run(async () =>
        {
            var app = world.Instance(w);
            var plain = new InventoryApplication(world.Store);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                await (n % 5 == 0 ? plain : app).Reserve.ExecuteAsync(new ReserveCommand($"W{w}-{n}", [new(EscrowWorld.Product, 1)]));
                if (n % 3 == 0) await app.Release.ExecuteAsync(new ReservationChangeCommand($"W{w}-{n}"));
            }
        })).ToArray();
        await Task.Delay(50);

        var random = new Random(seed);
        var before = await WrittenAsync(world);
        var listed = new List<LedgerEntry>();
        var first = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, random.Next(1, 30));
        var after = await WrittenAsync(world);
        listed.AddRange(first.Entries);
        var token = first.ContinuationToken;
        var pages = 1;
        while (token is not null)
        {
            var page = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, random.Next(1, 60), token);
            listed.AddRange(page.Entries);
            token = page.ContinuationToken;
            Assert.True(++pages < 5000);
        }
        stop.Cancel();
        await Task.WhenAll(writers);

        var keys = listed.Select(e => (e.ProductId, e.Sequence)).ToList();
        var end = await WrittenAsync(world);
        output.WriteLine($"before {before.Count} afterFirst {after.Count} end {end.Count} listed {keys.Count} pages {pages}");
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Empty(before.Except(keys));
        Assert.Empty(keys.Except(after));
    }

    /// <summary>Runs <see cref="Hook"/> once, right after the first read of a bucket's ledger from its newest entry answered.</summary>
    private sealed class RacingStore(Storage.IDocumentStore inner, string partition) : DelegatingStore(inner)
    {
        private int fromNewest;
        public Func<Task>? Hook { get; set; }

        public override async Task<Storage.DocumentPage> QueryAsync(Storage.Collection collection, string p, string idPrefix, int pageSize,
            string? continuationToken, CancellationToken cancellationToken = default)
        {
            var page = await base.QueryAsync(collection, p, idPrefix, pageSize, continuationToken, cancellationToken);
            if (p == partition && idPrefix == "led|" && continuationToken is null && ++fromNewest == 1 && Hook is { } hook)
            {
                Hook = null;
                await hook();
            }
            return page;
        }
    }

    [Theory]
    [InlineData(false, 3)]
    [InlineData(true, 3)]
    public async Task A_write_landing_in_a_bucket_during_the_first_page_does_not_send_its_cursor_back_to_the_newest_entry(bool race, int firstPage)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100_000);
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddHours(1));
        for (var i = 0; i < 60; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await (i % 2 == 0 ? world.Instance(2, clock) : new InventoryApplication(world.Store, clock)).Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(EscrowWorld.Product, 1)]));
        }
        var racing = new RacingStore(world.Store, "P~2");
        if (race) racing.Hook = async () =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await world.Instance(2, clock).Reserve.ExecuteAsync(new ReserveCommand("RACE", [new(EscrowWorld.Product, 1)]));
        };
        var first = await EscrowWorld.Over(racing, 1).Stock.GetLedgerAsync(EscrowWorld.Product, firstPage);
        output.WriteLine(string.Join("\n", first.Entries.Select(e => $"{e.ProductId} #{e.Sequence} {e.CreatedAt:O} {e.ReferenceId}")) + "\n" + first.ContinuationToken);
        if (race) Assert.Null(racing.Hook);
        for (var i = 0; i < 300; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var app = world.Instance(2, clock);
            await app.Reserve.ExecuteAsync(new ReserveCommand($"N{i}", [new(EscrowWorld.Product, 1)]));
            await app.Release.ExecuteAsync(new ReservationChangeCommand($"N{i}"));
        }
        var counting = new CountingStore(world.Store);

        var second = await EscrowWorld.Over(counting, 1).Stock.GetLedgerAsync(EscrowWorld.Product, 3, first.ContinuationToken);

        output.WriteLine($"race {race} first page {firstPage}: {counting.Queries} round trips, {counting.DocumentsRead} documents read for the second page");
        Assert.DoesNotContain(second.Entries, e => e.ReferenceId is "RACE" || e.ReferenceId.StartsWith('N'));
        Assert.True(counting.Queries < 40, $"{counting.Queries} round trips, {counting.DocumentsRead} documents for a page of 3 after 600 new entries");
    }

    [Theory]
    [InlineData(40)]
    [InlineData(200)]
    public async Task A_first_page_over_a_buckets_multi_entry_packs_resumes_at_a_store_position(int firstPage)
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100_000);
        world.Memory.ShortPages = false; // as Cosmos answers: whole pages
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddHours(1));
        var app = world.Instance(2, clock);
        var plain = new InventoryApplication(world.Store, clock); // escrow off: entries in the product's own ledger
        for (var i = 0; i < 100; i++) // single-entry documents
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await app.Reserve.ExecuteAsync(new ReserveCommand($"S{i}", [new(EscrowWorld.Product, 1)]));
        }
        for (var round = 0; round < 5; round++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            world.Gate.Close(); // a burst on one instance: its orders share a commit, their entries one pack
            var orders = Enumerable.Range(0, 21).Select(i => app.Reserve.ExecuteAsync(new ReserveCommand($"B{round}-{i}", [new(EscrowWorld.Product, 1)]))).ToArray();
            await world.Gate.Blocked;
            await Task.Delay(50);
            world.Gate.Open();
            await Task.WhenAll(orders);
            for (var i = 0; i < 25; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                await plain.Reserve.ExecuteAsync(new ReserveCommand($"P{round}-{i}", [new(EscrowWorld.Product, 1)]));
            }
        }
        var first = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, firstPage);
        output.WriteLine($"first page: {first.Entries.Count(e => e.ProductId == "P~2")} of bucket 2; token {first.ContinuationToken}");
        for (var i = 0; i < 300; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await app.Reserve.ExecuteAsync(new ReserveCommand($"N{i}", [new(EscrowWorld.Product, 1)]));
        }
        var counting = new CountingStore(world.Store);

        var second = await EscrowWorld.Over(counting, 1).Stock.GetLedgerAsync(EscrowWorld.Product, 3, first.ContinuationToken);

        output.WriteLine($"first page {firstPage}: {counting.Queries} round trips, {counting.DocumentsRead} documents read for the second page");
        Assert.DoesNotContain(second.Entries, e => e.ReferenceId.StartsWith('N'));
        Assert.True(counting.DocumentsRead < 100, $"{counting.DocumentsRead} documents read for a page of 3 after 300 new entries");
    }

    [Fact]
    public async Task A_small_page_after_a_large_one_goes_on_without_reading_again_what_the_large_one_listed()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100_000);
        world.Memory.ShortPages = false;
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddHours(1));
        var plain = new InventoryApplication(world.Store, clock); // escrow off: entries in the product's own ledger
        for (var i = 0; i < 300; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await (i % 2 == 0 ? world.Instance(2, clock) : plain).Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(EscrowWorld.Product, 1)]));
        }
        // Entries alternately of the product and of bucket 2: each ledger read 20 at a time, 10 of each listed.
        var first = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, 20);
        var counting = new CountingStore(world.Store);

        var second = await EscrowWorld.Over(counting, 1).Stock.GetLedgerAsync(EscrowWorld.Product, 1, first.ContinuationToken);

        Assert.Single(second.Entries);
        Assert.True(second.Entries[0].CreatedAt < first.Entries[^1].CreatedAt);
        Assert.True(counting.Queries < 8, $"{counting.Queries} round trips for a page of 1");
    }
}
