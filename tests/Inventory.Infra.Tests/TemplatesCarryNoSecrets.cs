namespace Inventory.Infra.Tests;

/// <summary>No key, connection string or key-listing function anywhere in the compiled template, its outputs or the app settings.</summary>
[Collection(InfraCollection.Name)]
public sealed class TemplatesCarryNoSecrets(InfraTemplate infra)
{
    [Theory]
    [InlineData("listKeys")]
    [InlineData("listConnectionStrings")]
    [InlineData("listAccountSas")]
    [InlineData("listServiceSas")]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessKey")]
    [InlineData("primaryMasterKey")]
    [InlineData("primaryKey")]
    public void The_compiled_template_never_mentions(string secretMarker) =>
        Assert.DoesNotContain(secretMarker, infra.CompiledText, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void No_output_carries_a_connection_string_or_a_secure_value() =>
        Assert.All(infra.Compiled["outputs"]!.AsObject(), output =>
        {
            Assert.DoesNotContain("secure", (string)output.Value!["type"]!, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ConnectionString", output.Value!["value"]!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        });

    [Fact]
    public void The_only_connection_string_in_Azure_is_the_telemetry_endpoint() =>
        // Application Insights' connection string names an ingestion endpoint; with local auth off it grants nothing.
        Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"],
            infra.Cosmos.AppSettings.Keys.Where(k => k.Replace("_", "", StringComparison.Ordinal).Contains("ConnectionString", StringComparison.OrdinalIgnoreCase)));

    [Fact]
    public void Every_Azure_connection_uses_the_managed_identity()
    {
        var settings = infra.Cosmos.AppSettings;
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("managedidentity", settings["ServiceBusConnection__credential"]);
        var clientId = settings["AZURE_CLIENT_ID"];
        Assert.Contains("userAssignedIdentities", clientId, StringComparison.Ordinal);
        Assert.Equal(clientId, settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal(clientId, settings["ServiceBusConnection__clientId"]);
        var telemetry = settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
        Assert.Contains("Authorization=AAD", telemetry, StringComparison.Ordinal);
        Assert.Contains(clientId[1..^1], telemetry, StringComparison.Ordinal);
    }
}
