using System.Net;
using System.Text;
using System.Text.Json;

namespace Inventory.Functions.Tests.Support;

public static class Http
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> SendAsync(
        this HttpClient api, HttpMethod method, string path, string? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, response.Content.Headers.ContentType?.MediaType);
    }

    public static Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> GetJsonAsync(this HttpClient api, string path) =>
        api.SendAsync(HttpMethod.Get, path);

    public static Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> PostJsonAsync(this HttpClient api, string path, string body,
        IDictionary<string, string>? headers = null) => api.SendAsync(HttpMethod.Post, path, body, headers);

    public static long Long(this JsonElement e, string name) => e.GetProperty(name).GetInt64();
    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    /// <summary>Asserts an RFC 7807 refusal with the given status and problem code.</summary>
    public static void AssertProblem((HttpStatusCode Status, JsonElement Body, string? ContentType) r, HttpStatusCode status, string code)
    {
        Assert.Equal(status, r.Status);
        Assert.Equal("application/problem+json", r.ContentType);
        Assert.Equal(code, r.Body.Str("code"));
        Assert.Equal("urn:inventory:problem:" + code, r.Body.Str("type"));
        Assert.Equal((int)status, r.Body.GetProperty("status").GetInt32());
    }
}
