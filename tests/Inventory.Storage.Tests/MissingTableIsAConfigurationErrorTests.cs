using Inventory.Storage;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>
/// Found in review: a table the settings name that does not exist (a wrong Store:TablePrefix, CreateTablesIfMissing off
/// in Azure before infrastructure made it) answers 404 TableNotFound. The Table store reads that as "no such document":
/// a point read returns nothing (GetEntityIfExists), so a product reads as absent, and a commit's 404 goes through
/// <c>ConflictOf</c> (404 → NotFound), so even a create is refused as a <see cref="CommitConflictException"/> of kind
/// NotFound that the commit protocol takes for a lost race. The port's answer for "what the settings name does not exist"
/// is <see cref="StoreMisconfiguredException"/>, as the Cosmos store gives for a missing container: never "not found".
/// </summary>
public sealed class MissingTableIsAConfigurationErrorTests : IAsyncLifetime
{
    private TableDocumentStore missing = null!;

    public async Task InitializeAsync()
    {
        // The same account Azurite serves (reachable), with tables nobody created.
        var reachable = await AzuriteTables.CreateStoreAsync();
        await AzuriteTables.DropAsync(reachable);
        missing = TableDocumentStore.Create(new TableStoreOptions
        {
            TableConnectionString = AzuriteTables.ConnectionString,
            TablePrefix = "nosuch" + Guid.NewGuid().ToString("N")[..8],
            CreateTablesIfMissing = false,
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_read_of_one_id_in_a_missing_table_is_a_configuration_error_not_an_absent_document()
    {
        await Assert.ThrowsAsync<StoreMisconfiguredException>(() => missing.ReadAsync(Collection.Products, "P1", ["product"], []));
    }

    [Fact]
    public async Task A_commit_to_a_missing_table_is_a_configuration_error_not_a_conflict()
    {
        var one = await Record.ExceptionAsync(() => missing.CommitAsync(Collection.Orders, "o1", [new DocumentWrite.Create("order", "{}")]));
        var batch = await Record.ExceptionAsync(() => missing.CommitAsync(Collection.Orders, "o1",
            [new DocumentWrite.Create("order", "{}"), new DocumentWrite.Create("intent|k", "{}")]));

        Assert.IsType<StoreMisconfiguredException>(one);
        Assert.IsType<StoreMisconfiguredException>(batch);
    }
}
