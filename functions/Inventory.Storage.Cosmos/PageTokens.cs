using System.Buffers.Text;
using System.Text;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// Continuation tokens are keys, not Cosmos's own tokens: the last id (or partition) of a page, base64url-encoded. The
/// next page is the query again from after that key, so a token survives SDK upgrades and partition splits, is short
/// enough for a query string, and anything this service did not issue is recognised and refused.
/// </summary>
internal static class PageTokens
{
    private const string Version = "k1:";

    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Version + lastKey));

    /// <summary>The key to continue after. <paramref name="mustStartWith"/>: the prefix every key of the query has.</summary>
    public static string? Decode(string? token, string mustStartWith = "")
    {
        if (token is null) return null;
        string text;
        try { text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { throw Invalid(); }
        if (!text.StartsWith(Version, StringComparison.Ordinal) || !text[Version.Length..].StartsWith(mustStartWith, StringComparison.Ordinal))
            throw Invalid();
        return text[Version.Length..];
    }

    private static InvalidContinuationTokenException Invalid() => new();
}
