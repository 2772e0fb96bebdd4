using System.Text.RegularExpressions;
using Inventory.Domain;
using Inventory.Functions.Api;

namespace Inventory.Functions.Tests;

/// <summary>
/// Every DomainException the core or the HTTP adapter can throw has its own problem type, and answers with the status
/// the HTTP contract promises for its code: the table of problem types in docs/http-api.md, read here, so the code and
/// the published contract cannot drift apart.
/// </summary>
public sealed partial class ProblemCatalogTests
{
    /// <summary>Code → status, from the rows <c>| `code`, `code` | status | ... |</c> of docs/http-api.md.</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, int>> Promised = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln"))) dir = dir.Parent;
        var doc = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "http-api.md"));
        var promised = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match row in ProblemRow().Matches(doc))
            foreach (Match code in Code().Matches(row.Groups[1].Value))
                promised.Add(code.Groups[1].Value, int.Parse(row.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        return promised;
    });

    [GeneratedRegex(@"^\| ((?:`[a-z-]+`(?:, )?)+) \| (\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex ProblemRow();

    [GeneratedRegex("`([a-z-]+)`")]
    private static partial Regex Code();

    [Fact]
    public void The_contract_table_is_read()
    {
        Assert.True(Promised.Value.Count >= 20, $"only {Promised.Value.Count} problem codes found in docs/http-api.md");
        Assert.Equal(409, Promised.Value["insufficient-stock"]);
    }

    [Fact]
    public void An_order_still_being_reserved_is_409_with_Retry_After_and_a_final_invalid_state_is_409_without()
    {
        var retry = Problems.From(InvalidStateException.StillReserving("O1"));
        var final = Problems.From(new InvalidStateException("Reservation 'O1' is FULFILLED."));

        Assert.Equal((409, "1"), (retry.StatusCode, retry.Headers["Retry-After"]));
        Assert.Equal(409, final.StatusCode);
        Assert.False(final.Headers.ContainsKey("Retry-After"));
    }

    public static TheoryData<string> ExceptionTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in new[] { typeof(DomainException).Assembly, typeof(Problems).Assembly }
                     .SelectMany(a => a.GetTypes()).Where(t => t.IsSubclassOf(typeof(DomainException)) && !t.IsAbstract))
            data.Add(type.AssemblyQualifiedName!);
        return data;
    }

    [Theory]
    [MemberData(nameof(ExceptionTypes))]
    public void Each_domain_exception_maps_to_its_own_problem(string typeName)
    {
        var exception = Instantiate(Type.GetType(typeName, throwOnError: true)!);
        var response = Problems.From(exception);

        Assert.True(Problems.Catalog.ContainsKey(exception.Code), $"{exception.GetType().Name} ({exception.Code}) has no entry in Problems.Catalog");
        Assert.True(Promised.Value.TryGetValue(exception.Code, out var status), $"{exception.Code} is not in the problem table of docs/http-api.md");
        Assert.Equal(status, response.StatusCode);
        var body = Assert.IsType<Dictionary<string, object?>>(response.Body);
        Assert.Equal((Problems.TypePrefix + exception.Code, (object?)status), (body["type"], body["status"]));
        Assert.False(string.IsNullOrWhiteSpace(body["title"] as string));
    }

    [Fact]
    public void Problem_codes_are_distinct_per_exception_type()
    {
        var codes = ((IEnumerable<object[]>)ExceptionTypes()).Select(row => Instantiate(Type.GetType((string)row[0], true)!).Code).ToArray();
        Assert.Equal(codes.Length, codes.Distinct().Count());
    }

    private static DomainException Instantiate(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var args = constructor.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(string) => "x",
            var t when t == typeof(long) => 1L,
            var t when t == typeof(int) => 1,
            var t when t.IsAssignableFrom(typeof(List<FieldError>)) => new List<FieldError> { new("f", "m") },
            var t when t.IsAssignableFrom(typeof(List<ShortLine>)) => new List<ShortLine> { new("p", 2, 1) },
            var t when t.IsAssignableFrom(typeof(List<string>)) => new List<string> { "x" },
            _ => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null,
        }).ToArray();
        return (DomainException)constructor.Invoke(args);
    }
}
