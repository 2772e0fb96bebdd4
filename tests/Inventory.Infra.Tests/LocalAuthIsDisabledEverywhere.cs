namespace Inventory.Infra.Tests;

/// <summary>Every service that could accept a key refuses one: Entra ID is the only way in.</summary>
[Collection(InfraCollection.Name)]
public sealed class LocalAuthIsDisabledEverywhere(InfraTemplate infra)
{
    [Fact]
    public void Storage_refuses_shared_keys() =>
        Assert.False((bool)infra.Cosmos.Single("Microsoft.Storage/storageAccounts")["properties"]!["allowSharedKeyAccess"]!);

    [Fact]
    public void Service_Bus_refuses_SAS_keys() =>
        Assert.True((bool)infra.Cosmos.Single("Microsoft.ServiceBus/namespaces")["properties"]!["disableLocalAuth"]!);

    [Fact]
    public void Cosmos_refuses_account_keys() =>
        Assert.True((bool)infra.Cosmos.Single("Microsoft.DocumentDB/databaseAccounts")["properties"]!["disableLocalAuth"]!);

    [Fact]
    public void Application_Insights_refuses_instrumentation_key_ingestion() =>
        Assert.True((bool)infra.Cosmos.Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!);
}
