using System.Globalization;
using System.Text;

namespace Inventory.Storage;

/// <summary>
/// Table keys and Cosmos ids may not hold '/', '\', '#', '?' or control characters. Every store writes those (and '%')
/// as %XX, one character at a time, so an escaped prefix is still a prefix and ids keep their order.
/// </summary>
public static class StoreKeys
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

    /// <summary>A transaction touches each document once (Table refuses the batch with 400, Cosmos too): refused before sending.</summary>
    public static void RefuseDuplicates(IReadOnlyList<DocumentWrite> writes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in writes)
            if (!seen.Add(Escape(w.Id)))
                throw new ArgumentException($"The commit names document '{w.Id}' twice; a transaction may touch each document once.", nameof(writes));
    }

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}
