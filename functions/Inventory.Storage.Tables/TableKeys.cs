namespace Inventory.Storage.Tables;

/// <summary>Table keys: the stores' common escaping (<see cref="StoreKeys"/>) and prefix ranges.</summary>
internal static class TableKeys
{
    public static string Escape(string key) => StoreKeys.Escape(key);

    public static string Unescape(string key) => StoreKeys.Unescape(key);

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>.</summary>
    public static string UpperBound(string prefix) =>
        prefix.Length == 0 ? "\uffff" : prefix[..^1] + (char)(prefix[^1] + 1);
}
