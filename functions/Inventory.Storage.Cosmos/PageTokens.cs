using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// Continuation tokens are keys, not Cosmos's own tokens: the last id (or partition) of a page, base64url-encoded. The
/// next page is the query again from after that key, so a token survives SDK upgrades and partition splits, is short
/// enough for a query string, and anything this service did not issue is recognised and refused. A token names the
/// query it was issued for (a short hash of collection, partition and prefix), so one of another query is refused too.
/// Tokens of the first version (no scope) are still read, their prefix checked as before.
/// </summary>
internal static class PageTokens
{
    private const string First = "k1:";
    private const string Version = "k2:";

    /// <summary>The query a token belongs to, in 8 characters.</summary>
    public static string Scope(Collection collection, string partition, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{collection}\n{partition}\n{key}")))[..8];

    public static string Encode(string lastKey, string scope) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}{scope}:{lastKey}"));

    /// <summary>The key to continue after. <paramref name="mustStartWith"/>: the prefix every key of the query has.</summary>
    public static string? Decode(string? token, string scope, string mustStartWith = "")
    {
        if (token is null) return null;
        string text;
        try { text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { throw Invalid(); }
        string key;
        if (text.StartsWith(Version, StringComparison.Ordinal) && text.Length > Version.Length + scope.Length
            && text.AsSpan(Version.Length, scope.Length).SequenceEqual(scope) && text[Version.Length + scope.Length] == ':')
            key = text[(Version.Length + scope.Length + 1)..];
        else if (text.StartsWith(First, StringComparison.Ordinal)) key = text[First.Length..];
        else throw Invalid();
        return key.StartsWith(mustStartWith, StringComparison.Ordinal) ? key : throw Invalid();
    }

    private static InvalidContinuationTokenException Invalid() => new();
}
