using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>The in-memory store the fast tests use keeps the same contract as the real stores.</summary>
public class InMemoryStoreContractTests : DocumentStoreContract
{
    protected override IDocumentStore Store { get; } = new InMemoryDocumentStore();
}
