using Inventory.Testing;
using System.Text.RegularExpressions;

namespace Inventory.Core.Tests.Architecture;

/// <summary>
/// Issue 11: a lost optimistic commit is handled in one place. Only the policy (<c>OptimisticConcurrency</c>) and the
/// coalescing batch committer (<c>BatchCommit</c>) catch <c>CommitConflictException</c>; everything else runs its
/// read-modify-write through the policy, so giving up always means the same thing (503 concurrency-exhausted).
/// </summary>
public sealed partial class OnlyThePolicyCatchesCommitConflicts
{
    private static readonly string[] Allowed = ["OptimisticConcurrency.cs", "BatchCommit.cs"];

    [Fact]
    public void No_file_but_the_policy_and_the_batch_committer_catches_a_commit_conflict()
    {
        var catching = Sources().Where(f => Catch().IsMatch(File.ReadAllText(f))).Select(Path.GetFileName).ToArray();
        Assert.Contains("OptimisticConcurrency.cs", catching); // the scan is live
        Assert.Empty(catching.Except(Allowed));
    }

    [Fact]
    public void The_scan_flags_a_hand_written_retry()
    {
        Assert.Matches(Catch(), "        catch (CommitConflictException) { } // someone else won");
        Assert.Matches(Catch(), "catch (CommitConflictException e) when (e.Kind == ConflictKind.AlreadyExists)");
        Assert.DoesNotMatch(Catch(), "/// <see cref=\"CommitConflictException\"/> propagates");
    }

    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"catch\s*\(\s*(Inventory\.Storage\.)?CommitConflictException\b")]
    private static partial Regex Catch();
}
