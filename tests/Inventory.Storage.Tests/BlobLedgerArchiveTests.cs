using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Storage.Blobs;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>
/// The ledger archive on Azurite's Blob service: parts are create-only (a rerun finds its part written, never replaces
/// it), listed per product only, read back byte for byte; and the whole move, Table store to Blob archive, reads the
/// same ledger afterwards.
/// </summary>
public sealed class BlobLedgerArchiveTests : IAsyncLifetime
{
    private BlobLedgerArchive archive = null!;
    private TableDocumentStore? tables;

    public async Task InitializeAsync()
    {
        archive = BlobLedgerArchive.Create(new BlobArchiveOptions
        {
            BlobConnectionString = AzuriteTables.ConnectionString,
            Container = "archive-" + Guid.NewGuid().ToString("N")[..12],
        });
        await archive.EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        await archive.Container.DeleteIfExistsAsync();
        if (tables is not null) await AzuriteTables.DropAsync(tables);
    }

    [Fact]
    public async Task A_part_is_written_once_listed_under_its_product_only_and_read_back()
    {
        var part = new LedgerArchivePart("A", "2026-01", 1, 10);
        var other = new LedgerArchivePart("AB", "2026-01", 1, 5);
        byte[] content = [0x1f, 0x8b, 1, 2, 3];

        Assert.True(await archive.WriteAsync(part, content));
        Assert.False(await archive.WriteAsync(part, new byte[] { 9, 9 })); // already there: not replaced
        Assert.True(await archive.WriteAsync(other, content));
        Assert.True(await archive.WriteAsync(part with { Month = "2026-02", FirstSequence = 11, LastSequence = 20 }, content));

        Assert.Equal([part, part with { Month = "2026-02", FirstSequence = 11, LastSequence = 20 }], await archive.ListAsync("A"));
        Assert.Equal(content, await archive.ReadAsync(part));
        Assert.Empty(await archive.ListAsync("nobody"));
    }

    [Fact]
    public async Task A_blob_service_that_does_not_answer_is_the_store_unavailable()
    {
        var nowhere = BlobLedgerArchive.Create(new BlobArchiveOptions
        {
            BlobConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        });
        await Assert.ThrowsAsync<StoreUnavailableException>(() => nowhere.ListAsync("A"));
    }

    /// <summary>What DefaultAzureCredential throws when the managed identity endpoint gives no token.</summary>
    private sealed class NoToken : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new Azure.Identity.CredentialUnavailableException("ManagedIdentityCredential authentication unavailable (client id c-secretish).");

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    [Fact]
    public async Task An_archive_the_apps_identity_gets_no_token_for_is_the_store_unavailable()
    {
        var service = new Azure.Storage.Blobs.BlobServiceClient(new Uri("https://127.0.0.1:9/"), new NoToken());
        var noToken = new BlobLedgerArchive(service.GetBlobContainerClient("archive"), new BlobArchiveOptions());

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(() => noToken.ListAsync("A"));

        Assert.DoesNotContain("c-secretish", failure.Message); // the credential's own text stays out of the message
    }

    [Fact]
    public async Task Entries_move_from_the_table_store_to_blobs_and_the_ledger_reads_the_same()
    {
        tables = await AzuriteTables.CreateStoreAsync();
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(tables, clock, ledger: new LedgerOptions { CheckpointEvery = 10, ArchiveAfterDays = 30 }, archive: archive);
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 1000);
        for (var i = 1; i <= 44; i++)
        {
            await app.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", i % 2 == 0 ? -1 : 2, null, "count", $"a-{i}"));
            clock.Advance(TimeSpan.FromDays(2)); // 45 entries from 10 January to early April
        }
        clock.Advance(TimeSpan.FromDays(10)); // mid-April: January and February are past the 30-day window, March is not
        var before = await s.LedgerAsync("A");

        var run = await app.LedgerArchival.ExecuteAsync();

        Assert.Equal((2, 0L), (run.PartsWritten, run.Errors));
        var parts = await archive.ListAsync("A");
        Assert.Equal(["2026-01", "2026-02"], parts.Select(p => p.Month));
        Assert.Equal(run.EntriesMoved, parts[^1].LastSequence);
        Assert.Equal(before.Select(e => DocumentJson.Write(e)), (await s.LedgerAsync("A")).Select(e => DocumentJson.Write(e)));
        await s.AssertBooksBalanceAsync("A");
        var full = await app.Invariants.CheckFullAsync("A");
        Assert.True(full.Holds, string.Join("\n", full.Violations));
        Assert.Equal(run.EntriesMoved, full.ArchivedEntries);
    }
}
