using Inventory.Storage;
using Xunit;

namespace Inventory.Testing;

/// <summary>One injected crash: the <see cref="At"/>-th of <see cref="Of"/> writes of a clean run, on <see cref="Side"/>.</summary>
public sealed record Crash(int At, int Of, FaultSide Side)
{
    public override string ToString() => $"{Side} at write {At}/{Of}";
}

/// <summary>
/// The crash matrix every saga is tested with: count the writes of a clean run, then for each write and each side of
/// it crash there (a fresh world each time) and let the test finish the work and compare with the clean run.
/// </summary>
public static partial class CrashMatrix
{
    [System.Text.RegularExpressions.GeneratedRegex("\"(claimNonce|run)\":\"[^\"]*\",?")]
    private static partial System.Text.RegularExpressions.Regex ClaimNonce();

    /// <summary>The commits <paramref name="run"/> makes through <paramref name="faulty"/> with no fault armed.</summary>
    public static async Task<int> WritesOfAsync(FaultyStore faulty, Func<Task> run)
    {
        faulty.Arm();
        await run();
        return faulty.Commits;
    }

    /// <summary>Calls <paramref name="crashThenFinish"/> for every write 1..<paramref name="writes"/> and every side (or the given ones).</summary>
    public static async Task EveryWriteAsync(int writes, Func<Crash, Task> crashThenFinish, params FaultSide[] sides)
    {
        Assert.True(writes > 0, "the run writes nothing: nothing to crash");
        foreach (var side in sides.Length > 0 ? sides : Enum.GetValues<FaultSide>())
            for (var at = 1; at <= writes; at++)
                await crashThenFinish(new Crash(at, writes, side));
    }

    /// <summary>
    /// Arms <paramref name="faulty"/> at <paramref name="crash"/> and runs <paramref name="run"/>, which must end in the
    /// injected fault, unless <paramref name="alsoAccepted"/> accepts what it ended with (null: it finished; or a refusal
    /// the store raised itself at the write the fault was armed after, so the fault never struck). Disarms the store.
    /// </summary>
    public static async Task CrashAsync(FaultyStore faulty, Crash crash, Func<Task> run, Func<Exception?, bool>? alsoAccepted = null)
    {
        faulty.Arm(crash.At, crash.Side);
        var e = await Record.ExceptionAsync(run);
        faulty.Arm();
        Assert.True(e is StoreFaultException || alsoAccepted?.Invoke(e) == true,
            $"{crash}: expected the injected fault, got {e?.GetType().Name ?? "success"}");
    }

    /// <summary>
    /// Every document of the given partitions by "collection/partition/id", with its body (ETags differ by design, and so
    /// does an order header's claim nonce, drawn at random by each claim: left out).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> StateAsync(IDocumentStore store, params (Collection Collection, string Partition)[] partitions)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (collection, partition) in partitions)
        {
            string? token = null;
            do
            {
                var page = await store.QueryAsync(collection, partition, "", 100, token);
                foreach (var d in page.Documents) state[$"{collection}/{partition}/{d.Id}"] = ClaimNonce().Replace(d.Body, "");
                token = page.ContinuationToken;
            } while (token is not null);
        }
        return state;
    }

    /// <summary>Asserts two store states (from <see cref="StateAsync"/>) are equal document by document, naming what differs.</summary>
    public static void AssertSame(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual, string when)
    {
        var missing = expected.Keys.Except(actual.Keys).ToArray();
        var extra = actual.Keys.Except(expected.Keys).ToArray();
        var differing = expected.Keys.Intersect(actual.Keys).Where(k => expected[k] != actual[k])
            .Select(k => $"{k}:\n  clean: {expected[k]}\n  after: {actual[k]}").ToArray();
        Assert.True(missing.Length + extra.Length + differing.Length == 0,
            $"{when}: missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}], differing:\n{string.Join("\n", differing)}");
    }
}
