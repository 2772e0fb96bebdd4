namespace Inventory.Application.Escrow;

/// <summary>
/// Escrow buckets for hot products (issue 14, docs/coalescing.md): which products reserve in buckets, how many buckets
/// each has, and which one this instance reserves in. Off unless <see cref="Products"/> names some (the switch on
/// contention, step 6 of the design, is <see cref="Automatic"/>, off by default).
/// </summary>
public sealed record EscrowOptions
{
    /// <summary>The products whose one-product orders reserve in a bucket.</summary>
    public IReadOnlySet<string> Products { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Also put a product in escrow on this instance while other instances keep winning its races
    /// (<see cref="ProductContention.IsHot"/>), and for <see cref="Cooldown"/> after; off: only <see cref="Products"/>.
    /// </summary>
    public bool Automatic { get; init; }

    /// <summary>How long a product switched into escrow by contention stays there after the contention was last seen.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many buckets each of <see cref="Products"/> has (1 to <see cref="MaxBuckets"/>).</summary>
    public int Buckets { get; init; } = 4;

    /// <summary>This instance's bucket, 1 to <see cref="Buckets"/>; null: one drawn at random when the instance starts.</summary>
    public int? Bucket { get; init; }

    /// <summary>
    /// A grant takes at least what the request lacks, and up to this share of the product's available per bucket (a
    /// quarter of an equal split by default): large enough that grants are rare, small enough that the product keeps most
    /// of its stock for the buckets that need it. A bucket's first grant takes a whole equal split: it serves every
    /// instance of the bucket at a sale's start (the others give way to it), and with less in the buckets from the start
    /// sold-out runs left units unsold (bench/README.md).
    /// </summary>
    public double GrantShare { get; init; } = 0.25;

    /// <summary>
    /// How long a move shared by an instance's requests (a grant, a gathering, a bucket's making) stays shared: one whose
    /// store call hangs past it no longer holds the requests that need it; they are answered "store unavailable" (retry),
    /// and the next one starts a move of its own (moves are sagas, safe side by side as two instances' are).
    /// </summary>
    public TimeSpan MoveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public const int MaxBuckets = 64;
}
