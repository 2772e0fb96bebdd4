using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

public sealed class OpenApiDocumentTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task The_document_lists_exactly_the_routes_of_the_http_functions()
    {
        var document = await host.Api().GetJsonAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, document.Status);
        Assert.StartsWith("3.", document.Body.Str("openapi"), StringComparison.Ordinal);

        var listed = document.Body.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}")).Order().ToArray();
        var served = FunctionsMetadataTests.Built().Values.Where(f => f.Trigger == "httpTrigger")
            .SelectMany(f => f.Methods.Select(m => $"{m.ToUpperInvariant()} /api/{f.Route!.Replace("{*", "{", StringComparison.Ordinal)}")).Order().ToArray();
        Assert.Equal(served, listed);
    }

    [SkippableFact]
    public async Task Each_operation_documents_its_path_parameters_and_problem_responses()
    {
        var paths = (await host.Api().GetJsonAsync("/api/openapi.json")).Body.GetProperty("paths");
        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var declared = operation.Value.GetProperty("parameters").EnumerateArray()
                    .Where(p => p.Str("in") == "path").Select(p => "{" + p.Str("name") + "}").Order();
                var inPath = System.Text.RegularExpressions.Regex.Matches(path.Name, @"\{[^}]+\}").Select(m => m.Value).Order();
                Assert.Equal(inPath, declared);
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("4XX", out _), $"{operation.Name} {path.Name}");
            }
    }

    [SkippableFact]
    public async Task Enum_values_are_listed_as_the_api_spells_them()
    {
        var document = (await host.Api().GetJsonAsync("/api/openapi.json")).Body;
        var text = document.GetRawText();
        Assert.Contains("\"PICK_FACE\"", text, StringComparison.Ordinal);
        Assert.Contains("\"ALL_OR_NOTHING\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"pickFace\"", text, StringComparison.Ordinal);
    }
}
