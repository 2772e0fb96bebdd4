using Inventory.Storage;
using Inventory.Testing;
using Xunit.Abstractions;

namespace Inventory.Core.Tests.Workflows;

/// <summary>The model-based concurrency test (<see cref="WorkflowModelContract"/>) on the strict in-memory store: runs everywhere, in seconds.</summary>
public class WorkflowModelTests(ITestOutputHelper output) : WorkflowModelContract(output)
{
    protected override int Requests => 500;

    protected override bool ExpectLostRaces => false; // requests rarely interleave on a store that never waits

    protected override Task<IDocumentStore?> CreateStoreAsync() => Task.FromResult<IDocumentStore?>(new InMemoryDocumentStore());
}
