using Inventory.Testing;
using System.Text.RegularExpressions;

namespace Inventory.Functions.Tests.Architecture;

/// <summary>
/// Issue 11: the Functions project translates triggers into use cases. It never names the store port, an adapter's
/// store class or an SDK's exception: store failures reach it as the port's store-neutral errors, and setting a store
/// up is a step the adapter registers (<c>StoreSetupStep</c>).
/// </summary>
public sealed partial class FunctionsNeverTouchTheStore
{
    [Fact]
    public void No_source_of_the_Functions_project_names_the_raw_store_or_an_SDK_exception()
    {
        var root = Path.Combine(RepositoryRoot.Path, "functions", "Inventory.Functions");
        var findings = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(l => Forbidden().IsMatch(l.line))
            .Select(l => $"{Path.GetFileName(l.f)}:{l.i + 1}: {l.line.Trim()}")
            .ToArray();
        Assert.Empty(findings);
    }

    [Fact]
    public void The_scan_flags_what_it_forbids()
    {
        Assert.Matches(Forbidden(), "catch (CosmosException e) when (e.StatusCode == 429)");
        Assert.Matches(Forbidden(), "catch (Azure.RequestFailedException e)");
        Assert.Matches(Forbidden(), "var store = sp.GetRequiredService<IDocumentStore>();");
        Assert.Matches(Forbidden(), "sp.GetRequiredService<TableDocumentStore>().EnsureCreatedAsync");
        Assert.DoesNotMatch(Forbidden(), "catch (StoreUnavailableException e)");
    }

    [GeneratedRegex(@"\b(CosmosException|RequestFailedException|IDocumentStore|TableDocumentStore|CosmosDocumentStore|BlobLedgerArchive|InventoryApplication)\b")]
    private static partial Regex Forbidden();
}
