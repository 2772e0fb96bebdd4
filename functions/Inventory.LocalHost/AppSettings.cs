using System.Text.RegularExpressions;

namespace Inventory.LocalHost;

/// <summary>
/// Binding expressions as the Functions host resolves them: each %Name% is the configuration value of Name, where a
/// nested key is written with ':' (%Queues:Receipts% is the app setting Queues__Receipts, as environment variables map '__' to ':').
/// </summary>
public static partial class AppSettings
{
    public static string Resolve(string expression, IConfiguration configuration) =>
        Setting().Replace(expression, m => configuration[m.Groups[1].Value]
            ?? throw new InvalidOperationException($"'{expression}' names setting '{m.Groups[1].Value}', which is not set."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Setting();
}
