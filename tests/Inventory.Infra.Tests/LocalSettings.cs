using System.Text.Json.Nodes;

namespace Inventory.Infra.Tests;

/// <summary>local.settings.sample.json at the repo root: what a developer copies to local.settings.json for func start.</summary>
public static class LocalSettings
{
    public static string Path { get; } = System.IO.Path.Combine(InfraTemplate.RepoRoot, "local.settings.sample.json");

    public static JsonObject Document { get; } = JsonNode.Parse(File.ReadAllText(Path))!.AsObject();

    public static IReadOnlyDictionary<string, string> Values { get; } =
        Document[nameof(Values)]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);
}
