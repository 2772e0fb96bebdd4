using Inventory.Storage;
using Inventory.Storage.Blobs;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>
/// Found in review: <c>BlobLedgerArchive.ListAsync</c> answers an empty archive when the container does not exist
/// (ContainerNotFound → <c>[]</c>, "nothing was ever archived here"). With the archive configured (Archive:Container
/// misspelt, or Archive:CreateContainerIfMissing false before the infrastructure made it), the ledger route
/// (<c>ArchivedLedger</c>) and the full audit (<c>InvariantChecker</c>) then read no archived entries at all: a product's
/// ledger answers 200 and simply ends at its oldest hot entry, its archived history silently gone from view, where the
/// Table and Cosmos stores answer a missing table or container with <see cref="StoreMisconfiguredException"/> ("never
/// not found"). A write into it already fails (404 → unavailable); a list must not pass for an empty archive.
/// </summary>
public sealed class AMissingArchiveContainerIsAConfigurationErrorTests
{
    [Fact]
    public async Task Listing_a_products_parts_in_a_container_that_does_not_exist_is_a_configuration_error_not_an_empty_archive()
    {
        var archive = BlobLedgerArchive.Create(new BlobArchiveOptions
        {
            BlobConnectionString = AzuriteTables.ConnectionString,
            Container = "nosuch-" + Guid.NewGuid().ToString("N")[..12],
            CreateContainerIfMissing = false,
        });

        var e = await Record.ExceptionAsync(async () =>
        {
            var parts = await archive.ListAsync("A");
            Assert.Fail($"Listing parts in a container that does not exist answered an archive of {parts.Count} parts");
        });

        Assert.True(e is StoreMisconfiguredException, e?.Message);
    }
}
