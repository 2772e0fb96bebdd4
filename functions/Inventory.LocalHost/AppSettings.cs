using System.Text.RegularExpressions;

namespace Inventory.LocalHost;

/// <summary>
/// Binding expressions as the Functions host resolves them: each %Name% is the configuration value of Name, where a
/// nested key would be written with ':' (as environment variables map '__' to ':'); the app's triggers use flat names only.
/// </summary>
public static partial class AppSettings
{
    public static string Resolve(string expression, IConfiguration configuration) =>
        Setting().Replace(expression, m => configuration[m.Groups[1].Value]
            ?? throw new InvalidOperationException($"'{expression}' names setting '{m.Groups[1].Value}', which is not set."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Setting();
}
