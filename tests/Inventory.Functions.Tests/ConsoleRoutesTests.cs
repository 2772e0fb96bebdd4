using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>Issue 15: the console's static files, at /console/ on the local host and /api/console/ as the Functions host serves it.</summary>
public sealed class ConsoleRoutesTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private HttpClient Client()
    {
        host.ClientOptions.AllowAutoRedirect = false;
        return host.Api();
    }

    [SkippableTheory]
    [InlineData("/console")]
    [InlineData("/api/console")]
    public async Task The_console_is_addressed_as_a_folder_keeping_the_query(string path)
    {
        using var response = await Client().GetAsync(path + "?code=k");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(path + "/?code=k", response.Headers.Location!.OriginalString);
    }

    [SkippableTheory]
    [InlineData("/console/", "text/html", "Inventory console")]
    [InlineData("/api/console/", "text/html", "console.js")]
    [InlineData("/console/console.js", "text/javascript", "/products?sku=")]
    [InlineData("/console/console.css", "text/css", "font")]
    public async Task Its_files_are_served_with_their_types(string path, string type, string contains)
    {
        using var response = await Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(contains, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("/console/nothing.js")]
    [InlineData("/console/../host.json")]
    [InlineData("/console/a/b.html")]
    public async Task Anything_else_is_404(string path)
    {
        using var response = await Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
