using System.Globalization;
using Inventory.Domain;
using Microsoft.AspNetCore.Http;

namespace Inventory.Functions.Api;

/// <summary>
/// Reads the query string of a list route, collecting every bad value before refusing (400 validation-failed naming
/// each parameter). Parameters it is not asked about (the function key's <c>code</c>, for one) are left alone.
/// </summary>
public sealed class ListQuery(HttpRequest request)
{
    private readonly Guard guard = new();

    public int PageSize
    {
        get
        {
            var text = Text("pageSize");
            if (text is null) return 100;
            var ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n);
            guard.That(ok && n is >= 1 and <= 1000, "pageSize", "must be a whole number between 1 and 1000");
            return ok ? n : 100;
        }
    }

    public string? Token
    {
        get
        {
            try { return PageToken.Decode(Text("continuationToken")); }
            catch (ValidationException) { guard.That(false, "continuationToken", "is not a token this service issued"); return null; }
        }
    }

    public string? Text(string name) => request.Query[name].ToString() is { Length: > 0 } s ? s : null;

    public bool? Bool(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (bool.TryParse(text, out var b)) return b;
        guard.That(false, name, "must be true or false");
        return null;
    }

    /// <summary>An enum value spelled any way requests may spell it (ACTIVE, active, Active).</summary>
    public T? Enum<T>(string name) where T : struct, Enum
    {
        var text = Text(name);
        if (text is null) return null;
        foreach (var value in System.Enum.GetValues<T>())
            if (string.Equals(Key(value.ToString()), Key(text), StringComparison.OrdinalIgnoreCase)) return value;
        guard.That(false, name, $"must be one of {EnumSpelling.Names(typeof(T))}");
        return null;
    }

    public void ThrowIfAny() => guard.ThrowIfAny();

    private static string Key(string text) => new(text.Where(char.IsLetterOrDigit).ToArray());
}
