using System.Text.RegularExpressions;

namespace Inventory.Infra.Tests;

/// <summary>
/// azure.yaml deploys the Functions project to the Function App Bicep creates (azd finds it by its azd-service-name tag),
/// and packages it with the Service Bus host extension switch.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class AzdDeploysTheFunctionsProject(InfraTemplate infra)
{
    private static readonly string AzureYaml = File.ReadAllText(Path.Combine(InfraTemplate.RepoRoot, "azure.yaml"));

    [Fact]
    public void The_service_is_the_tagged_Function_App()
    {
        var service = ServiceName().Match(AzureYaml);
        Assert.True(service.Success, "azure.yaml declares no service");
        var tag = (string)infra.Cosmos.Single("Microsoft.Web/sites")["tags"]!["azd-service-name"]!;
        Assert.Equal(tag, service.Groups[1].Value);
        Assert.Contains("host: function", AzureYaml, StringComparison.Ordinal);
        Assert.Contains("language: dotnet", AzureYaml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_service_project_is_the_Functions_app()
    {
        var project = ProjectPath().Match(AzureYaml);
        Assert.True(project.Success, "azure.yaml names no project");
        Assert.True(File.Exists(Path.Combine(InfraTemplate.RepoRoot, project.Groups[1].Value, "Inventory.Functions.csproj")),
            $"{project.Groups[1].Value} holds no Inventory.Functions.csproj");
    }

    [Fact]
    public void Packaging_turns_the_Service_Bus_extension_switch_on_and_off_again()
    {
        Assert.Contains("prepackage:", AzureYaml, StringComparison.Ordinal);
        Assert.Contains("postpackage:", AzureYaml, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(AzureYaml, "'-p:IncludeServiceBusExtension=true' > Directory\\.Build\\.rsp|-Value '-p:IncludeServiceBusExtension=true'"));
    }

    [GeneratedRegex(@"^services:\s*\n\s+([A-Za-z0-9-]+):", RegexOptions.Multiline)]
    private static partial Regex ServiceName();

    [GeneratedRegex(@"^\s+project:\s*\./?(\S+)", RegexOptions.Multiline)]
    private static partial Regex ProjectPath();
}
