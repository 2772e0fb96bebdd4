using System.Text.RegularExpressions;
using Cronos;

namespace Inventory.Infra.Tests;

/// <summary>
/// Every setting a trigger binds to (<c>%Name%</c> expressions, <c>Connection = "Name"</c>) exists in Azure and locally,
/// and the timer schedules are valid NCRONTAB. The scan reads the functions' sources, so a trigger added by a later issue
/// is covered without touching this test.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class TriggerSettingsExist(InfraTemplate infra)
{
    private static readonly string[] Schedules = ["ReplenishmentSchedule", "HoldSweepSchedule", "RecoverOrdersSchedule", "ArchiveLedgerSchedule"];

    [Theory]
    [InlineData("ReplenishmentSchedule")]
    [InlineData("HoldSweepSchedule")]
    [InlineData("RecoverOrdersSchedule")]
    [InlineData("ArchiveLedgerSchedule")]
    public void Each_timer_schedule_is_set_with_the_same_default_in_Azure_and_locally(string name)
    {
        Assert.Equal(LocalSettings.Values[name], infra.Cosmos.AppSettings[name]);
        // NCRONTAB of the Functions timer: six fields, seconds first.
        Assert.NotNull(CronExpression.Parse(LocalSettings.Values[name], CronFormat.IncludeSeconds)
            .GetNextOccurrence(DateTime.UtcNow));
    }

    [Fact]
    public void Every_binding_expression_of_the_functions_names_a_configured_setting()
    {
        var names = BindingSettings().Concat(Schedules).Distinct(StringComparer.Ordinal).ToList();
        Assert.DoesNotContain(names, name => !LocalSettings.Values.ContainsKey(name));
        Assert.DoesNotContain(names, name => !infra.Cosmos.AppSettings.ContainsKey(name));
    }

    /// <summary>The scale controller resolves trigger expressions from the app settings alone: a nested name never resolves there.</summary>
    [Fact]
    public void Every_binding_expression_is_a_flat_app_setting_name() =>
        Assert.All(Sources().SelectMany(s => BindingExpression().Matches(s)).Select(m => m.Groups[1].Value),
            name => Assert.Matches("^[A-Za-z][A-Za-z0-9]*$", name));

    [Fact]
    public void Every_trigger_connection_is_identity_based_in_Azure_and_present_locally()
    {
        var connections = ConnectionSettings().ToArray();
        // The queue triggers name their connection through a constant; finding none means the scan is blind, not that all is well.
        Assert.Contains("ServiceBusConnection", connections);
        foreach (var connection in connections)
        {
            Assert.True(LocalSettings.Values.ContainsKey(connection), $"{connection} is not in the local sample");
            Assert.True(infra.Cosmos.AppSettings.ContainsKey($"{connection}__fullyQualifiedNamespace")
                || infra.Cosmos.AppSettings.ContainsKey($"{connection}__blobServiceUri"), $"{connection} has no identity-based setting in Azure");
        }
    }

    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Path.Combine(InfraTemplate.RepoRoot, "functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

    /// <summary>%Name% (or %Section:Key%, the same setting as Section__Key) inside a string literal.</summary>
    private static IEnumerable<string> BindingSettings() =>
        Sources().SelectMany(s => BindingExpression().Matches(s)).Select(m => m.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal));

    /// <summary><c>Connection = "Name"</c>, or <c>Connection = Type.Constant</c> resolved to the constant's value in the sources.</summary>
    private static IEnumerable<string> ConnectionSettings()
    {
        var sources = Sources().ToArray();
        var constants = sources.SelectMany(s => StringConstant().Matches(s))
            .GroupBy(m => m.Groups[1].Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(m => m.Groups[2].Value).Distinct().ToArray());
        return sources.SelectMany(s => ConnectionArgument().Matches(s)).Select(m =>
        {
            if (m.Groups[1].Success) return m.Groups[1].Value;
            var name = m.Groups[2].Value.Split('.')[^1];
            Assert.True(constants.TryGetValue(name, out var values) && values.Length == 1,
                $"Connection = {m.Groups[2].Value}: no single string constant '{name}' in the functions' sources");
            return values![0];
        }).Distinct(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"%([A-Za-z0-9_:]+)%\"")]
    private static partial Regex BindingExpression();

    [GeneratedRegex("\\bConnection\\s*=\\s*(?:\"([A-Za-z0-9_]+)\"|([A-Za-z_][A-Za-z0-9_.]*))\\s*[,)]")]
    private static partial Regex ConnectionArgument();

    [GeneratedRegex("\\bconst\\s+string\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*\"([^\"]*)\"")]
    private static partial Regex StringConstant();
}
