namespace Inventory.Storage.Tables;

/// <summary>Table keys: the stores' common escaping (<see cref="StoreKeys"/>) and prefix ranges.</summary>
internal static class TableKeys
{
    public static string Escape(string key) => StoreKeys.Escape(key);

    public static string Unescape(string key) => StoreKeys.Unescape(key);

    /// <summary>
    /// The smallest key greater than every key starting with <paramref name="prefix"/>, or null when there is none (the
    /// prefix is empty or all U+FFFF: every key from it on starts with it). Trailing U+FFFF cannot be incremented (it wrapped
    /// to U+0000, and an empty prefix's bound of U+FFFF left out keys starting with it): they are dropped first.
    /// </summary>
    /// <remarks>
    /// The last character is incremented as a code point, never into a lone surrogate, which a request URL cannot carry
    /// (U+1F3FF, D83C DFFF, gave D83C E000, sent as U+FFFD, so the range took in keys far beyond the prefix): a surrogate
    /// pair becomes the next pair (or is dropped past U+10FFFF), and U+D7FF becomes U+E000.
    /// </remarks>
    public static string? UpperBound(string prefix)
    {
        var kept = prefix;
        while (kept.Length > 0)
        {
            var pair = kept.Length >= 2 && char.IsSurrogatePair(kept[^2], kept[^1]);
            var last = pair ? char.ConvertToUtf32(kept[^2], kept[^1]) : kept[^1];
            var head = kept[..^(pair ? 2 : 1)];
            if (last is 0xFFFF or 0x10FFFF) { kept = head; continue; } // cannot be incremented: drop it, carry to the one before
            return head + (last == 0xD7FF ? "\ue000" : pair ? char.ConvertFromUtf32(last + 1) : ((char)(last + 1)).ToString());
        }
        return null;
    }
}
