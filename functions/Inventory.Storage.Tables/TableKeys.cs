using System.Globalization;
using System.Text;

namespace Inventory.Storage.Tables;

/// <summary>
/// Table keys may not hold '/', '\', '#', '?' or control characters. Those (and '%') are written as %XX, one character
/// at a time, so an escaped prefix is still a prefix and ids keep their order.
/// </summary>
internal static class TableKeys
{
    public static string Escape(string key)
    {
        if (key.All(c => !NeedsEscape(c))) return key;
        var sb = new StringBuilder(key.Length + 8);
        foreach (var c in key)
        {
            if (NeedsEscape(c)) sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    public static string Unescape(string key) => key.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(key) : key;

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>.</summary>
    public static string UpperBound(string prefix) =>
        prefix.Length == 0 ? "\uffff" : prefix[..^1] + (char)(prefix[^1] + 1);

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}
