namespace Inventory.Application.Orders;

/// <summary>
/// The request that creates an order's header (claims the order) is, for a short time, the only one that may reserve a
/// one-product order. Its read of the product then need not look for a reservation of the order (two point reads per
/// order on Table Storage, most of what a reservation costs there): none can exist yet. Another request for the same
/// order (a retry, a twin on another instance) waits until the claimant's reservation shows, its header records a
/// refusal, or its exclusive time (<see cref="OrderOptions.ClaimExclusiveMilliseconds"/>) and the clock skew allowed are over; only then does it read and decide itself. The fence: the claimant takes the
/// reservation as absent only from a read that ended before <see cref="ExclusiveUntil"/> by its clock
/// (<see cref="StockRead.NewUntil"/>); any commit by another request comes later and replaces the product's head, so
/// the claimant's commit, conditioned on the head it read, fails, and its retry reads everything. A claimant that stops
/// without a decision (throttled, unavailable) ends its claim on the header (<see cref="OrderRecord.ClaimEndedAt"/>), so
/// its caller's retry does not wait: under overload, waiting and polling retries made the overload worse.
/// </summary>
public static class OrderClaim
{
    /// <summary>Until when the claimant may take the order's reservation as absent (its read must end before).</summary>
    public static DateTimeOffset ExclusiveUntil(OrderRecord order, OrderOptions options) =>
        order.CreatedAt + TimeSpan.FromMilliseconds(options.ClaimExclusiveMilliseconds);

    /// <summary>From when another request may read and decide the order itself, if the claimant has shown nothing.</summary>
    public static DateTimeOffset OthersFrom(OrderRecord order, OrderOptions options) =>
        options.ClaimExclusiveMilliseconds <= 0 ? order.CreatedAt
            : ExclusiveUntil(order, options) + TimeSpan.FromMilliseconds(options.ClockSkewMilliseconds);

    /// <summary>Whether another request must still wait for the claimant: nothing recorded on the header, the claim not ended.</summary>
    public static bool IsPending(OrderRecord order) => order.State is null && order.ClaimEndedAt is null;

    /// <summary>The wait after the <paramref name="poll"/>-th look (from 0): 50 ms, doubling, at most 400 ms.</summary>
    public static TimeSpan PollInterval(int poll) => TimeSpan.FromMilliseconds(50 << Math.Min(Math.Max(poll, 0), 3));

    /// <summary>The longest another request waits, in real time (a bound for a clock that does not move).</summary>
    public static TimeSpan LongestWait(OrderOptions options) =>
        options.ClaimExclusiveMilliseconds <= 0 ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(options.ClaimExclusiveMilliseconds + options.ClockSkewMilliseconds);
}
