using System.Net;
using System.Text;
using System.Text.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Every refusal is problem+json (docs/http-api.md), the local host's own too: a path no function serves is 404
/// <c>route-not-found</c> and a served path under another method 405 <c>method-not-allowed</c> (with <c>Allow</c>),
/// not the empty bodies Kestrel answers by default, which an integrator's client cannot tell from a proxy's.
/// </summary>
public sealed class AnUnknownRouteOnTheLocalHostIsAProblemTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task A_path_no_function_serves_is_a_404_problem()
    {
        using var response = await host.Api().GetAsync("/api/no-such-route/x");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "route-not-found");
    }

    [SkippableFact]
    public async Task A_served_path_under_another_method_is_a_405_problem_naming_the_methods_it_takes()
    {
        using var response = await host.Api().PutAsync("/api/reservations", new StringContent("{}", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(("urn:inventory:problem:" + code, code, (int)status),
            (body.RootElement.GetProperty("type").GetString(), body.RootElement.GetProperty("code").GetString(), body.RootElement.GetProperty("status").GetInt32()));
    }
}
