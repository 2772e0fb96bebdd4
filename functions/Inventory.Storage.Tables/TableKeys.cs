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
    public static string? UpperBound(string prefix)
    {
        var kept = prefix.TrimEnd('\uffff');
        return kept.Length == 0 ? null : kept[..^1] + (char)(kept[^1] + 1);
    }
}
