using System.Globalization;
using System.Text;

namespace Inventory.Storage;

/// <summary>
/// Table keys and Cosmos ids may not hold '/', '\', '#', '?' or control characters. Every store writes those (and '%')
/// as %XX, one character at a time, so an escaped prefix is still a prefix. Stores list ids in the order of their escaped
/// keys: an id holding one of those characters may sort elsewhere than its raw text would ('%' is 0x25), so no reader
/// may rely on raw order across them (none of the service's ordered ids, the ledger's and the catalogue's, hold them).
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

    /// <summary>
    /// Each %XX back to its one character (every escaped character is below U+0100). Not as URI escapes: those are UTF-8
    /// bytes, and a lone %85 (U+0085, a control character) is no UTF-8, so it came back as the three characters "%85".
    /// </summary>
    public static string Unescape(string key)
    {
        if (!key.Contains('%', StringComparison.Ordinal)) return key;
        var sb = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length
                && byte.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                sb.Append((char)b);
                i += 2;
            }
            else sb.Append(key[i]);
        }
        return sb.ToString();
    }

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
