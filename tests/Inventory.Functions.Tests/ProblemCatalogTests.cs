using System.Reflection;
using Inventory.Domain;
using Inventory.Functions.Api;

namespace Inventory.Functions.Tests;

/// <summary>Every DomainException the core or the HTTP adapter can throw has its own problem type and an HTTP status chosen for it.</summary>
public sealed class ProblemCatalogTests
{
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
        Assert.Equal(Problems.Catalog[exception.Code].Status, response.StatusCode);
        Assert.InRange(response.StatusCode, 400, 599);
        var body = Assert.IsType<Dictionary<string, object?>>(response.Body);
        Assert.Equal(Problems.TypePrefix + exception.Code, body["type"]);
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
