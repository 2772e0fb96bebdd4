using Inventory.Storage.Tables;
using Inventory.Testing;
using Xunit.Abstractions;

namespace Inventory.Storage.Tests;

/// <summary>The model-based concurrency test (<see cref="WorkflowModelContract"/>) on the Table store, two clients of one Azurite.</summary>
public class WorkflowModelTests(ITestOutputHelper output) : WorkflowModelContract(output)
{
    private static bool HasAzurite => Environment.GetEnvironmentVariable("INVENTORY_TEST_STORAGE") is { Length: > 0 };

    /// <summary>
    /// About a minute on the 2-core build machine inside the full scripts/test run (the test projects run side by side):
    /// alone, 400 took 22 s and 600 took 90 s while other builds ran; in the full run 600 took over 7 minutes.
    /// </summary>
    protected override int Requests => 250;

    protected override string SkipReason => "INVENTORY_TEST_STORAGE is not set: run scripts/test, which starts Azurite for the model-based test.";

    protected override async Task<IDocumentStore?> CreateStoreAsync() => HasAzurite ? await AzuriteTables.CreateStoreAsync() : null;

    protected override Task<IDocumentStore> ConnectAgainAsync(IDocumentStore store) =>
        Task.FromResult<IDocumentStore>(AzuriteTables.ConnectAgain((TableDocumentStore)store));

    protected override Task DropStoreAsync(IDocumentStore store) => AzuriteTables.DropAsync((TableDocumentStore)store);
}
