using Inventory.Storage;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>
/// Found in review: a commit of one write goes to the entity's own request (<c>CommitOneAsync</c>), and the SDK answers
/// a delete that meets 404 without throwing (it takes "not there" for done). The store then reads any 404 of a delete
/// as a lost race (<c>response.Status == 404</c> → <see cref="ConflictKind.NotFound"/>), without looking at the error
/// code, so a delete in a table that does not exist (a wrong Store:TablePrefix, CreateTablesIfMissing off before the
/// infrastructure made it) is a <see cref="CommitConflictException"/>: <c>OptimisticConcurrency.TryCommitAsync</c> and
/// <c>TryAsync</c> take it for "someone else took it over" and carry on as if the claim, open-saga entry or hold were
/// tidied. A create or a transaction in the same table is <see cref="StoreMisconfiguredException"/>
/// (<see cref="MissingTableIsAConfigurationErrorTests"/>); a delete must be too.
/// </summary>
public sealed class ADeleteInAMissingTableIsAConfigurationErrorTests : IAsyncLifetime
{
    private TableDocumentStore missing = null!;

    public async Task InitializeAsync()
    {
        var reachable = await AzuriteTables.CreateStoreAsync(); // Azurite answers
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
    public async Task A_delete_of_one_document_in_a_missing_table_is_a_configuration_error_not_a_conflict()
    {
        var e = await Record.ExceptionAsync(() => missing.CommitAsync(Collection.Orders, "open|03", [new DocumentWrite.Delete("reserve|o1", "W/\"datetime'2026-01-01T00%3A00%3A00.0000000Z'\"")]));

        Assert.True(e is StoreMisconfiguredException,
            $"A delete in a table that does not exist answered {e?.GetType().Name ?? "nothing"} ({(e as CommitConflictException)?.Kind}), not StoreMisconfiguredException");
    }
}
