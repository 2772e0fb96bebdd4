namespace Inventory.Domain;

/// <summary>Long arithmetic that stops at long's bounds instead of failing or wrapping (loads, capacities, reorder thresholds).</summary>
public static class Saturating
{
    public static long Multiply(long a, long b) => Clamp((Int128)a * b);
    public static long Add(long a, long b) => Clamp((Int128)a + b);
    public static long Subtract(long a, long b) => Clamp((Int128)a - b);
    private static long Clamp(Int128 value) => (long)Int128.Clamp(value, long.MinValue, long.MaxValue);
}
