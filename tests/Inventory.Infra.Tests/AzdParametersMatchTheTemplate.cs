using System.Text.Json.Nodes;

namespace Inventory.Infra.Tests;

/// <summary>infra/main.parameters.json (what azd substitutes from its environment) feeds exactly the parameters main.bicep declares.</summary>
[Collection(InfraCollection.Name)]
public sealed class AzdParametersMatchTheTemplate(InfraTemplate infra)
{
    private static readonly JsonObject Given = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraTemplate.RepoRoot, "infra", "main.parameters.json")))!["parameters"]!.AsObject();

    private JsonObject Declared => infra.Compiled["parameters"]!.AsObject();

    [Fact]
    public void Every_given_parameter_is_declared() =>
        Assert.DoesNotContain(Given, p => !Declared.ContainsKey(p.Key));

    [Fact]
    public void Every_parameter_without_a_default_is_given() =>
        Assert.DoesNotContain(Declared, p => p.Value!["defaultValue"] is null && !Given.ContainsKey(p.Key));

    [Fact]
    public void Every_given_value_comes_from_the_azd_environment() =>
        Assert.All(Given, p => Assert.Matches(@"^\$\{[A-Z_]+(=[^}]*)?\}$", (string)p.Value!["value"]!));
}
