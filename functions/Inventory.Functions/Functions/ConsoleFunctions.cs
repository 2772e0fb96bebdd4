using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

/// <summary>
/// The operator console: static HTML, JavaScript and CSS embedded in this assembly. Anonymous because it holds no data:
/// the page reads everything through the API, which asks for its key (docs/console.md says how to protect both in Azure).
/// The Functions host serves it at /api/console/; the local host also at /console/.
/// </summary>
public sealed class ConsoleFunctions
{
    public const string Route = "console/{*file}";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    [Function("Console")]
    [ApiOperation("The operator console (HTML page and its assets, not JSON)", Tag = "console")]
    public static IActionResult Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest req)
    {
        var path = req.Path.Value ?? "";
        var at = path.IndexOf("/console", StringComparison.OrdinalIgnoreCase);
        var file = at < 0 ? "" : path[(at + "/console".Length)..];
        // The page's assets are relative: it must be addressed as a folder (…/console/), whatever the query string.
        if (file.Length == 0) return new Answer(StatusCodes.Status302Found, null, null) { Location = path + "/" + req.QueryString.Value };
        file = file.TrimStart('/');
        if (file.Length == 0) file = "index.html";
        var stream = ContentTypes.TryGetValue(Path.GetExtension(file), out var type) && !file.Contains('/', StringComparison.Ordinal)
            ? typeof(ConsoleFunctions).Assembly.GetManifestResourceStream("Console/" + file) : null;
        if (stream is null)
            return new Answer(StatusCodes.Status404NotFound, "text/plain; charset=utf-8", new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"The console has no file '{file}'.")));
        return new Answer(StatusCodes.Status200OK, type, stream);
    }

    /// <summary>Writes itself, like JsonResponse: no MVC executor needed, so every host answers the same bytes.</summary>
    private sealed class Answer(int status, string? contentType, Stream? body) : IActionResult
    {
        public string? Location { get; init; }

        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = status;
            response.Headers.CacheControl = "no-cache";
            if (Location is not null) response.Headers.Location = Location;
            if (body is null) return;
            response.ContentType = contentType;
            await using (body) await body.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
        }
    }
}
