using System.Buffers.Text;
using System.Text;

namespace Inventory.Storage.Tables;

/// <summary>
/// The Table service's continuation tokens (next partition and row key) wrapped with the query they continue, so that
/// a token this service did not issue, or issued for another query, is refused instead of starting a page anywhere.
/// </summary>
internal static class TablePageTokens
{
    private const string Version = "t1";

    public static string? Encode(string scope, string? serviceToken) =>
        serviceToken is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}\n{scope}\n{serviceToken}"));

    public static string? Decode(string? token, string scope)
    {
        if (token is null) return null;
        string text;
        try { text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { throw Invalid(); }
        var parts = text.Split('\n', 3);
        if (parts.Length != 3 || parts[0] != Version || parts[1] != scope || parts[2].Length == 0) throw Invalid();
        return parts[2];
    }

    private static InvalidContinuationTokenException Invalid() => new();
}
