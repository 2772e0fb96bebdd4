namespace Inventory.Infra.Tests;

/// <summary>local.settings.sample.json is a local.settings.json that func start accepts, with the local defaults of the contract.</summary>
public sealed class LocalSampleHasTheShapeFuncStartReads
{
    [Fact]
    public void It_is_unencrypted_and_serves_on_port_7071()
    {
        Assert.False((bool)LocalSettings.Document["IsEncrypted"]!);
        Assert.Equal(7071, (int)LocalSettings.Document["Host"]!["LocalHttpPort"]!);
    }

    [Fact]
    public void Every_value_is_a_string() =>
        Assert.All(LocalSettings.Document["Values"]!.AsObject(), p => Assert.Equal(System.Text.Json.JsonValueKind.String, p.Value!.GetValueKind()));

    [Theory]
    [InlineData("AzureWebJobsStorage", "UseDevelopmentStorage=true")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated")]
    [InlineData("Store__Kind", "Table")]
    [InlineData("Store__TableConnectionString", "UseDevelopmentStorage=true")]
    [InlineData("Cosmos__CreateIfMissing", "true")]
    [InlineData("Cosmos__ConnectionMode", "Gateway")]
    public void It_runs_against_Azurite_and_the_emulators_by_default(string name, string expected) =>
        Assert.Equal(expected, LocalSettings.Values[name]);
}
