using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14, "a ledger entry for every change": the ledger of a product in escrow lists its buckets' entries too (each
/// order's RESERVE in its bucket was missing from it), newest first, paged with no entry twice or lost.
/// </summary>
public class EscrowLedgerTests
{
    /// <summary>P with orders in buckets 2 and 3, one in the product's partition, a release and a shipment; a second between each.</summary>
    private static async Task<(EscrowWorld World, ManualClock Clock)> TradedAsync()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddHours(1));
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var plain = new InventoryApplication(world.Store, clock); // escrow off: reserves in the product's partition
        async Task Step(Func<Task> act) { clock.Advance(TimeSpan.FromSeconds(1)); await act(); }
        await Step(() => world.Instance(2, clock).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])));
        await Step(() => world.Instance(3, clock).Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 4)])));
        await Step(() => plain.Reserve.ExecuteAsync(new ReserveCommand("O3", [new(EscrowWorld.Product, 2)])));
        await Step(() => world.Instance(3, clock).Release.ExecuteAsync(new ReservationChangeCommand("O2")));
        await Step(() => world.Instance(2, clock).Fulfill.ExecuteAsync(new ReservationChangeCommand("O1")));
        await Step(() => world.Instance(2, clock).Reserve.ExecuteAsync(new ReserveCommand("O4", [new(EscrowWorld.Product, 1)])));
        return (world, clock);
    }

    /// <summary>Every entry of the product's partition and of each of its buckets, as (partition, sequence).</summary>
    private static async Task<HashSet<(string, long)>> WrittenAsync(EscrowWorld world)
    {
        var all = new HashSet<(string, long)>();
        foreach (var partition in new[] { "P", "P~1", "P~2", "P~3", "P~4" })
        {
            string? token = null;
            do
            {
                var (entries, next) = await world.Instance(1).Partitions.LedgerPageAsync(partition, 100, token, CancellationToken.None);
                foreach (var e in entries) Assert.True(all.Add((e.ProductId, e.Sequence)));
                token = next;
            } while (token is not null);
        }
        return all;
    }

    private static async Task<List<LedgerEntry>> ListAsync(EscrowWorld world, int pageSize, Func<int, Task>? betweenPages = null)
    {
        var listed = new List<LedgerEntry>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, pageSize, token);
            Assert.InRange(page.Entries.Count, 0, pageSize);
            listed.AddRange(page.Entries);
            token = page.ContinuationToken;
            if (betweenPages is not null) await betweenPages(pages + 1);
            Assert.True(++pages < 500, "the listing never ends");
        } while (token is not null);
        return listed;
    }

    [Fact]
    public async Task The_ledger_of_a_product_in_escrow_lists_each_orders_reserve_in_its_bucket()
    {
        var (world, _) = await TradedAsync();

        var listed = await ListAsync(world, 100);

        Assert.Contains(listed, e => (e.ProductId, e.TxnType, e.ReferenceId, e.Quantity) == ("P~2", TxnType.Reserve, "O1", 3));
        Assert.Contains(listed, e => (e.ProductId, e.TxnType, e.ReferenceId, e.Quantity) == ("P~3", TxnType.Reserve, "O2", 4));
        Assert.Contains(listed, e => (e.ProductId, e.TxnType, e.ReferenceId) == ("P~3", TxnType.Release, "O2"));
        Assert.Contains(listed, e => (e.ProductId, e.TxnType, e.ReferenceId, e.Quantity) == ("P", TxnType.Reserve, "O3", 2));
        Assert.Equal(await WrittenAsync(world), listed.Select(e => (e.ProductId, e.Sequence)).ToHashSet());
        Assert.Equal(listed.Count, listed.Select(e => (e.ProductId, e.Sequence)).Distinct().Count());
    }

    [Fact]
    public async Task Paged_at_any_size_it_lists_the_same_entries_newest_first()
    {
        var (world, _) = await TradedAsync();
        var whole = await ListAsync(world, 1000);
        Assert.True(whole.Count > 8, $"{whole.Count} entries");
        Assert.Equal(whole.OrderByDescending(e => e.CreatedAt).Select(e => e.CreatedAt), whole.Select(e => e.CreatedAt));
        Assert.Equal("O4", whole[0].ReferenceId);

        foreach (var size in new[] { 1, 2, 3, 5, 7 })
            Assert.Equal(whole.Select(e => (e.ProductId, e.Sequence)), (await ListAsync(world, size)).Select(e => (e.ProductId, e.Sequence)));
    }

    [Fact]
    public async Task Entries_written_while_a_client_pages_are_never_listed_twice_and_none_before_is_lost()
    {
        var (world, clock) = await TradedAsync();
        var before = await WrittenAsync(world);
        var orders = 0;

        var listed = await ListAsync(world, 2, async _ =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await world.Instance(1 + orders % 4, clock).Reserve.ExecuteAsync(new ReserveCommand($"N{++orders}", [new(EscrowWorld.Product, 1)]));
        });

        var keys = listed.Select(e => (e.ProductId, e.Sequence)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Subset(keys.ToHashSet(), before);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Entries_written_after_the_first_page_are_not_listed_newest_first_is_kept_across_pages(int pageSize)
    {
        var (world, clock) = await TradedAsync();
        var first = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, pageSize);
        var startedAt = first.Entries[0].CreatedAt;

        var listed = await ListAsync(world, pageSize, async page =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await world.Instance(1 + page % 4, clock).Reserve.ExecuteAsync(new ReserveCommand($"N{page}", [new(EscrowWorld.Product, 1)]));
        });

        Assert.DoesNotContain(listed, e => e.ReferenceId.StartsWith('N'));
        Assert.All(listed, e => Assert.True(e.CreatedAt <= startedAt, $"{e.ProductId} #{e.Sequence} at {e.CreatedAt:O}, after the first page"));
        Assert.Equal(listed.OrderByDescending(e => e.CreatedAt).Select(e => e.CreatedAt), listed.Select(e => e.CreatedAt));
    }

    [Fact]
    public async Task A_page_goes_on_where_the_last_one_stopped_in_each_ledger_not_from_its_newest_entry()
    {
        var (world, clock) = await TradedAsync();
        var first = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, 3);
        for (var i = 0; i < 200; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var app = world.Instance(1 + i % 4, clock);
            await app.Reserve.ExecuteAsync(new ReserveCommand($"N{i}", [new(EscrowWorld.Product, 1)]));
            await app.Release.ExecuteAsync(new ReservationChangeCommand($"N{i}"));
        }
        var counting = new CountingStore(world.Store);

        var second = await EscrowWorld.Over(counting, 1).Stock.GetLedgerAsync(EscrowWorld.Product, 3, first.ContinuationToken);

        Assert.Equal(3, second.Entries.Count);
        Assert.True(counting.Queries < 40, $"{counting.Queries} round trips for a page of 3 after 800 new entries");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_page_sizes_with_orders_reserved_released_and_shipped_between_pages_list_what_was_there_once_newest_first(int seed)
    {
        var random = new Random(seed);
        var (world, clock) = await TradedAsync();
        var before = await WrittenAsync(world);
        var listed = new List<LedgerEntry>();
        var open = new List<(string Order, int Bucket)>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, pages == 0 ? random.Next(1, 4) : random.Next(1, 12), token);
            listed.AddRange(page.Entries);
            token = page.ContinuationToken;
            for (var i = random.Next(0, 4); i > 0; i--)
            {
                clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
                var bucket = random.Next(1, 5);
                if (open.Count > 0 && random.Next(2) == 0)
                {
                    var (order, at) = open[random.Next(open.Count)];
                    open.Remove((order, at));
                    var change = new ReservationChangeCommand(order);
                    await (random.Next(2) == 0 ? world.Instance(at, clock).Release.ExecuteAsync(change) : world.Instance(at, clock).Fulfill.ExecuteAsync(change));
                }
                else
                {
                    var order = $"R{seed}-{pages}-{i}";
                    await world.Instance(bucket, clock).Reserve.ExecuteAsync(new ReserveCommand(order, [new(EscrowWorld.Product, random.Next(1, 4))]));
                    open.Add((order, bucket));
                }
            }
            Assert.True(++pages < 500, "the listing never ends");
        } while (token is not null);

        Assert.Equal(before, listed.Select(e => (e.ProductId, e.Sequence)).ToHashSet());
        Assert.Equal(listed.Count, before.Count);
        Assert.Equal(listed.OrderByDescending(e => e.CreatedAt).Select(e => e.CreatedAt), listed.Select(e => e.CreatedAt));
    }

    [Fact]
    public async Task A_page_begun_before_the_product_went_into_escrow_goes_on_in_its_own_ledger()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var plain = new InventoryApplication(world.Store);
        for (var i = 1; i <= 3; i++) await plain.Reserve.ExecuteAsync(new ReserveCommand($"A{i}", [new(EscrowWorld.Product, 1)]));
        var first = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, 2);

        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        var rest = new List<LedgerEntry>();
        for (var token = first.ContinuationToken; token is not null;)
        {
            var page = await world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, 2, token);
            rest.AddRange(page.Entries);
            token = page.ContinuationToken;
        }

        var listed = first.Entries.Concat(rest).ToArray();
        Assert.Equal([4L, 3L, 2L, 1L], listed.Select(e => e.Sequence)); // the product's ledger as at the first page
        Assert.All(listed, e => Assert.Equal("P", e.ProductId));
    }

    [Theory]
    [InlineData("m1")]
    [InlineData("m1|p=x")]
    [InlineData("m1|2=aC4xLg|2=aC4xLg")]
    [InlineData("m1|q=aC4xLg")]
    [InlineData("m1|p=%%%")]
    public async Task A_merged_token_it_did_not_issue_is_a_validation_error_of_continuationToken(string token)
    {
        var (world, _) = await TradedAsync();

        var e = await Assert.ThrowsAsync<ValidationException>(() => world.Instance(1).Stock.GetLedgerAsync(EscrowWorld.Product, 5, token));

        Assert.Equal("continuationToken", Assert.Single(e.Errors).Field);
    }
}
