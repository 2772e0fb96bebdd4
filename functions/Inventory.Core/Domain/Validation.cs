using System.Text.RegularExpressions;

namespace Inventory.Domain;

/// <summary>Limits every input is checked against before anything is written.</summary>
public static partial class Limits
{
    /// <summary>Largest quantity one request line may carry; far beyond any real order, small enough that sums never overflow.</summary>
    public const long MaxQuantity = 1_000_000_000;
    public const int MaxIdLength = 128;
    public const int MaxSkuLength = 64;
    public const int MaxNameLength = 256;
    public const int MaxLinesPerRequest = 100;

    // Ids become store keys: letters, digits and . _ : @ - only ('|' separates key parts; '/', '\', '#', '?' are illegal in Table and Cosmos keys).
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:@-]*\z")] // \z, not $: $ also matches before a final line feed
    private static partial Regex IdPattern();

    public static bool IsValidId(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxIdLength && IdPattern().IsMatch(value);

    public static bool IsPrintable(string value) => value.All(c => !char.IsControl(c));
}

/// <summary>Collects field errors and throws one <see cref="ValidationException"/> listing them all.</summary>
public sealed class Guard
{
    private readonly List<FieldError> errors = [];

    public Guard Id(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) errors.Add(new(field, "is required"));
        else if (!Limits.IsValidId(value))
            errors.Add(new(field, $"must be 1-{Limits.MaxIdLength} characters of letters, digits and . _ : @ -, starting with a letter or digit"));
        return this;
    }

    public Guard OptionalId(string field, string? value) => value is null ? this : Id(field, value);

    public Guard Text(string field, string? value, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value)) { if (required) errors.Add(new(field, "is required")); }
        else if (value.Length > maxLength) errors.Add(new(field, $"must be at most {maxLength} characters"));
        else if (!Limits.IsPrintable(value)) errors.Add(new(field, "must not contain control characters"));
        return this;
    }

    public Guard Quantity(string field, long value, bool allowZero = false)
    {
        if (value < (allowZero ? 0 : 1) || value > Limits.MaxQuantity)
            errors.Add(new(field, $"must be between {(allowZero ? 0 : 1)} and {Limits.MaxQuantity}"));
        return this;
    }

    public Guard NonNegative(string field, decimal value, decimal max)
    {
        if (value < 0 || value > max) errors.Add(new(field, $"must be between 0 and {max}"));
        return this;
    }

    public Guard That(bool condition, string field, string message)
    {
        if (!condition) errors.Add(new(field, message));
        return this;
    }

    public void ThrowIfAny()
    {
        if (errors.Count > 0) throw new ValidationException(errors.ToArray());
    }
}
