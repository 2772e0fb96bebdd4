using System.Diagnostics;
using Inventory.Application;

namespace Inventory.Bench;

/// <summary>The figures of one run: one mode, one traffic shape, one number of clients.</summary>
public sealed record RunResult(
    string Mode, string Traffic, int Clients, TimeSpan Elapsed, long Reserved, long Refused, long Failed,
    double P50Ms, double P95Ms, double P99Ms, long Commits, long Conflicts, long CommittedRequests, bool StatisticsKnown)
{
    /// <summary>What the store was asked during the run, when the target's store is counted (in-process).</summary>
    public StoreTally? Store { get; init; }
    public StoreCost? CostPerReservation => Store?.Per(Reserved);
    /// <summary>p99 of the answers to requests sent in each second of the run, in order: where in the run the tail was.</summary>
    public IReadOnlyList<double> P99BySecond { get; init; } = [];
    public double Goodput => Reserved / Elapsed.TotalSeconds;
    public double AttemptsPerSuccess => Reserved == 0 ? double.NaN : (Commits + Conflicts) / (double)Reserved;
    public double ConflictsPerSuccess => Reserved == 0 ? double.NaN : Conflicts / (double)Reserved;
    public double RequestsPerCommit => Commits == 0 ? double.NaN : CommittedRequests / (double)Commits;
}

/// <summary>
/// Closed-loop clients: each reserves one unit with a fresh order id, waits for the answer, and goes again until the
/// duration is over. Latency is measured per answer; goodput counts accepted reservations per second.
/// </summary>
public static class LoadRun
{
    public static Task<RunResult> ExecuteAsync(IReservationTarget target, string traffic, Func<Random, string> pickProduct,
        int clients, TimeSpan duration) =>
        ExecuteAsync(target, traffic, (_, random) => (target, pickProduct(random)), clients, duration);

    /// <summary>Each client may have its own target and products (several hosts): <paramref name="clientPick"/> gets the client's index.</summary>
    public static async Task<RunResult> ExecuteAsync(IReservationTarget target, string traffic,
        Func<int, Random, (IReservationTarget Target, string ProductId)> clientPick, int clients, TimeSpan duration)
    {
        var before = Snapshot(target.Statistics);
        var storeBefore = target.Counter?.Tally;
        var runId = Guid.NewGuid().ToString("N")[..8];
        long reserved = 0, refused = 0, failed = 0;
        var latencies = new List<(double Sent, double Ms)>[clients];
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(c * 7919 + runId.GetHashCode(StringComparison.Ordinal));
            var mine = latencies[c] = [];
            for (var n = 0; Stopwatch.GetTimestamp() < deadline; n++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var (to, productId) = clientPick(c, random);
                var outcome = await to.ReserveAsync(productId, $"b{runId}-{c}-{n}", CancellationToken.None);
                mine.Add(((t0 - started) / (double)Stopwatch.Frequency, Stopwatch.GetElapsedTime(t0).TotalMilliseconds));
                _ = outcome switch
                {
                    Outcome.Reserved => Interlocked.Increment(ref reserved),
                    Outcome.Refused => Interlocked.Increment(ref refused),
                    _ => Interlocked.Increment(ref failed),
                };
            }
        })));

        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = Snapshot(target.Statistics);
        var all = latencies.SelectMany(l => l).Select(l => l.Ms).Order().ToArray();
        var bySecond = latencies.SelectMany(l => l).GroupBy(l => (int)l.Sent).OrderBy(g => g.Key)
            .Select(g => Percentile(g.Select(l => l.Ms).Order().ToArray(), 0.99)).ToArray();
        return new RunResult(target.Mode, traffic, clients, elapsed, reserved, refused, failed,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99),
            after.Commits - before.Commits, after.Conflicts - before.Conflicts, after.Requests - before.Requests, target.Statistics is not null)
        {
            Store = target.Counter is { } counter ? counter.Tally - storeBefore! : null,
            P99BySecond = bySecond,
        };
    }

    private static (long Commits, long Conflicts, long Requests) Snapshot(CommitStatistics? s) =>
        s is null ? (0, 0, 0) : (s.Commits, s.Conflicts, s.CommittedRequests);

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
