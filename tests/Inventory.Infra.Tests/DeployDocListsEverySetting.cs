namespace Inventory.Infra.Tests;

/// <summary>The configuration table of docs/deploy.md names every setting of the local sample and of the Azure app settings.</summary>
[Collection(InfraCollection.Name)]
public sealed class DeployDocListsEverySetting(InfraTemplate infra)
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(InfraTemplate.RepoRoot, "docs", "deploy.md"));

    [Fact]
    public void Every_setting_is_in_the_configuration_table() =>
        Assert.DoesNotContain(LocalSettings.Values.Keys.Concat(infra.Cosmos.AppSettings.Keys),
            name => !Doc.Contains($"| `{name}`", StringComparison.Ordinal) && !Doc.Contains($", `{name}`", StringComparison.Ordinal));
}
