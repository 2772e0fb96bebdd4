using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Inventory.Functions.Api;

/// <summary>
/// A JSON response that writes itself: no MVC formatter is involved, so the Functions host, the local host and a bare
/// <c>DefaultHttpContext</c> in a test produce the same bytes.
/// </summary>
public sealed class JsonResponse(int statusCode, object? body, string contentType = "application/json; charset=utf-8") : IActionResult
{
    public int StatusCode { get; } = statusCode;
    public object? Body { get; } = body;
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        if (Body is null) return;
        response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), ApiJson.Responses, context.HttpContext.RequestAborted);
    }

    public static JsonResponse Ok(object body) => new(StatusCodes.Status200OK, body);

    /// <summary>204: done, nothing to say.</summary>
    public static JsonResponse NoContent() => new(StatusCodes.Status204NoContent, null);

    /// <summary>201 with a Location when this call created the resource, 200 when it existed (a replay or a replace).</summary>
    public static JsonResponse Saved(object body, bool created, string location) =>
        created ? new JsonResponse(StatusCodes.Status201Created, body).WithHeader("Location", location) : Ok(body);
}
