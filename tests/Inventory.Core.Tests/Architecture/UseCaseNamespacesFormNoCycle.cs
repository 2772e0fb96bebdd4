using Inventory.Testing;
using System.Text.RegularExpressions;

namespace Inventory.Core.Tests.Architecture;

/// <summary>
/// Issue 11: the use-case namespaces of the application layer (Catalog, Orders, Stock, Purchasing, Replenishment,
/// Counts, Lists) depend on each other in one direction only, so each can be read without the ones that use it.
/// Edges are the <c>using Inventory.Application.X</c> directives and qualified names of each file.
/// </summary>
public sealed partial class UseCaseNamespacesFormNoCycle
{
    [Fact]
    public void The_namespaces_of_the_application_layer_depend_on_each_other_without_a_cycle()
    {
        var application = Path.Combine(RepositoryRoot.Path, "functions", "Inventory.Core", "Application");
        var edges = Directory.EnumerateFiles(application, "*.cs", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .SelectMany(source => Edges(source))
            .Distinct()
            .ToArray();
        Assert.Contains(("Inventory.Application.Replenishment", "Inventory.Application.Purchasing"), edges); // the scan is live
        Assert.Null(Cycle(edges));
    }

    [Fact]
    public void A_cycle_is_found_and_named()
    {
        Assert.Equal("A -> B -> C -> A", Cycle([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")]));
        Assert.Null(Cycle([("A", "B"), ("B", "C"), ("A", "C")]));
        Assert.Equal([("Inventory.Application.Stock", "Inventory.Application.Orders")],
            Edges("using Inventory.Application.Orders;\nnamespace Inventory.Application.Stock;\nclass X : Inventory.Application.Stock.Y { }"));
    }

    private static IEnumerable<(string From, string To)> Edges(string source)
    {
        if (Namespace().Match(source) is not { Success: true } ns) yield break;
        var from = ns.Groups[1].Value;
        foreach (Match m in Reference().Matches(source))
            if (m.Groups[1].Value != from) yield return (from, m.Groups[1].Value);
    }

    /// <summary>A cycle as "A -> B -> A", or null.</summary>
    private static string? Cycle(IReadOnlyCollection<(string From, string To)> edges)
    {
        var next = edges.ToLookup(e => e.From, e => e.To);
        var done = new HashSet<string>();
        var path = new List<string>();
        string? Visit(string node)
        {
            if (path.IndexOf(node) is var at and >= 0) return string.Join(" -> ", path.Skip(at).Append(node));
            if (!done.Add(node)) return null;
            path.Add(node);
            foreach (var to in next[node].Order(StringComparer.Ordinal))
                if (Visit(to) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return edges.Select(e => e.From).Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }

    [GeneratedRegex(@"^namespace\s+(Inventory\.Application(?:\.\w+)?)\s*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"\b(Inventory\.Application\.(?:Catalog|Orders|Stock|Purchasing|Replenishment|Counts|Lists))\b")]
    private static partial Regex Reference();
}
