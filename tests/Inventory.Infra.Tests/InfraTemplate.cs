using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Inventory.Infra.Tests;

/// <summary>
/// infra/main.bicep as Azure would receive it, made offline with the Bicep CLI from NuGet: the compiled ARM template
/// (<c>bicep build</c>) and, for each store choice, a snapshot of the predicted resources (<c>bicep snapshot</c>), in
/// which modules and loops are expanded and every value not known before deployment stays an ARM expression.
/// </summary>
public sealed class InfraTemplate
{
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000001";
    public const string DeployingUserId = "11111111-1111-1111-1111-111111111111";

    public static string RepoRoot { get; } = Metadata("RepoRoot");
    public static string MainBicep { get; } = Path.Combine(RepoRoot, "infra", "main.bicep");

    /// <summary>The compiled ARM template, as text (for what must never appear in it) and parsed.</summary>
    public string CompiledText { get; }
    public JsonObject Compiled { get; }

    /// <summary>Defaults: Cosmos DB serverless, with a deploying user.</summary>
    public Snapshot Cosmos { get; }
    public Snapshot CosmosAutoscale { get; }
    public Snapshot Table { get; }

    public InfraTemplate()
    {
        var work = Directory.CreateTempSubdirectory("inventory-infra-tests-");
        try
        {
            var compiled = Path.Combine(work.FullName, "main.json");
            Bicep("build", MainBicep, "--outfile", compiled);
            CompiledText = File.ReadAllText(compiled);
            Compiled = JsonNode.Parse(CompiledText)!.AsObject();

            Cosmos = Snapshot.Take(work.FullName, "cosmos", $"param principalId = '{DeployingUserId}'");
            CosmosAutoscale = Snapshot.Take(work.FullName, "autoscale", "param cosmosThroughputMode = 'Autoscale'");
            Table = Snapshot.Take(work.FullName, "table", "param storeKind = 'Table'");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The Bicep CLI of the NuGet package (or <c>BICEP</c>, for machines other than linux-x64).</summary>
    private static string BicepPath => Environment.GetEnvironmentVariable("BICEP") is { Length: > 0 } path ? path : Metadata("BicepPath");

    /// <summary>Runs the Bicep CLI and fails on a non-zero exit or on any diagnostic it prints.</summary>
    internal static void Bicep(params string[] arguments)
    {
        var start = new ProcessStartInfo(BicepPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {BicepPath}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0 || output.Contains(": Warning ", StringComparison.Ordinal) || output.Contains(": Error ", StringComparison.Ordinal))
            throw new InvalidOperationException($"bicep {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}");
    }

    private static string Metadata(string key) =>
        typeof(InfraTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Assembly metadata {key} is missing: build this project with dotnet build.");
}

/// <summary>The resources one deployment would create, with the parameters of one .bicepparam.</summary>
public sealed class Snapshot(JsonArray resources)
{
    public static Snapshot Take(string directory, string name, string parameters)
    {
        var file = Path.Combine(directory, name + ".bicepparam");
        // A .bicepparam names its template by a relative path.
        var main = Path.GetRelativePath(directory, InfraTemplate.MainBicep).Replace('\\', '/');
        File.WriteAllText(file, $"using '{main}'\nparam environmentName = 'drift'\nparam location = 'westeurope'\n{parameters}\n");
        InfraTemplate.Bicep("snapshot", file, "--subscription-id", InfraTemplate.SubscriptionId, "--location", "westeurope");
        var snapshot = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, name + ".snapshot.json")))!;
        return new Snapshot(snapshot["predictedResources"]!.AsArray());
    }

    public IEnumerable<JsonObject> Resources(string type) =>
        resources.Select(r => r!.AsObject()).Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Resources(type).Single();

    /// <summary>The last segment of a child resource's name (account/database/container → container).</summary>
    public static string ShortName(JsonObject resource) => ((string)resource["name"]!).Split('/')[^1];

    /// <summary>The Function App's app settings: name → value (an ARM expression where Azure computes it).</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        Single("Microsoft.Web/sites/config")["properties"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraTemplate>
{
    public const string Name = "infra";
}
