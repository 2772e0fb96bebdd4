using System.Reflection;
using System.Runtime.Versioning;

namespace Inventory.Infra.Tests;

/// <summary>The Function App is a Flex Consumption app whose runtime is the one the code is built for and runs locally.</summary>
[Collection(InfraCollection.Name)]
public sealed class FunctionAppRunsTheBuiltRuntime(InfraTemplate infra)
{
    private System.Text.Json.Nodes.JsonNode Runtime =>
        infra.Cosmos.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["runtime"]!;

    [Fact]
    public void The_plan_is_Flex_Consumption()
    {
        var sku = infra.Cosmos.Single("Microsoft.Web/serverfarms")["sku"]!;
        Assert.Equal("FC1", (string)sku["name"]!);
        Assert.Equal("FlexConsumption", (string)sku["tier"]!);
    }

    [Fact]
    public void The_worker_runtime_is_the_local_one() =>
        Assert.Equal(LocalSettings.Values["FUNCTIONS_WORKER_RUNTIME"], (string)Runtime["name"]!);

    [Fact]
    public void The_runtime_version_is_the_target_framework_of_the_code()
    {
        // Directory.Build.props sets one TargetFramework for every project, this one included.
        var target = typeof(FunctionAppRunsTheBuiltRuntime).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        var framework = new FrameworkName(target);
        Assert.Equal($"{framework.Version.Major}.{framework.Version.Minor}", (string)Runtime["version"]!);
    }

    [Fact]
    public void The_app_runs_as_its_user_assigned_identity_and_deploys_with_it()
    {
        var site = infra.Cosmos.Single("Microsoft.Web/sites");
        var identity = Assert.Single(site["identity"]!["userAssignedIdentities"]!.AsObject()).Key;
        var authentication = site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!;
        Assert.Equal("UserAssignedIdentity", (string)authentication["type"]!);
        Assert.Equal(identity, (string)authentication["userAssignedIdentityResourceId"]!);
    }
}
