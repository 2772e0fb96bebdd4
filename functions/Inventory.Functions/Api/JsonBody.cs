using System.Text.Json;
using Inventory.Domain;
using Microsoft.AspNetCore.Http;

namespace Inventory.Functions.Api;

/// <summary>
/// Reads a request body within a size limit, then parses it in two steps so the caller learns which kind of mistake it
/// made: not JSON at all (malformed-json), or JSON with a wrong type, an unknown field or a missing one (validation-failed, by field).
/// </summary>
public static class JsonBody
{
    public const int DefaultLimitBytes = 256 * 1024;

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, int limitBytes, CancellationToken ct)
    {
        if (request.ContentLength > limitBytes) throw new PayloadTooLargeException(limitBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limitBytes) throw new PayloadTooLargeException(limitBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The body as <typeparamref name="T"/>; an empty body is refused unless <paramref name="optional"/>, then it is null.</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, CancellationToken ct, bool optional = false) where T : class
    {
        var bytes = await ReadBytesAsync(request, DefaultLimitBytes, ct);
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
            return optional ? null : throw new ValidationException("body", "is required");
        return Parse<T>(bytes) ?? (optional ? null : throw new ValidationException("body", "must be a JSON object"));
    }

    public static T? Parse<T>(byte[] bytes) where T : class
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 }); }
        catch (JsonException e) { throw new MalformedJsonException(e.Message); }
        using (document)
        {
            // null too: an optional body left out means "every line" on fulfil and release, so only an absent one may.
            if (document.RootElement.ValueKind is not JsonValueKind.Object)
                throw new ValidationException("body", "must be a JSON object");
            try { return document.Deserialize<T>(ApiJson.Requests); }
            catch (JsonException e) { throw new ValidationException(Field(e), Problem(e, typeof(T))); }
        }
    }

    private static string Field(JsonException e) => e.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body";

    private static string Problem(JsonException e, Type body) =>
        e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "is not a field of this request"
        : e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "is given more than once"
        : e.Message.Contains("missing required", StringComparison.Ordinal) ? "is missing required fields"
        : MemberType(body, e.Path) is { IsEnum: true } values ? $"must be one of {ApiJson.Spelling(values)}"
        : "has the wrong type or an out-of-range value";

    /// <summary>The type of the member a JSON path such as <c>$.lines[0].policy</c> points at, through nested bodies and lists.</summary>
    private static Type? MemberType(Type type, string? path)
    {
        foreach (var segment in (path ?? "").TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Split('[')[0];
            if (ApiJson.Requests.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == name) is not { } member) return null;
            type = member.PropertyType;
            if (segment.Contains('[', StringComparison.Ordinal))
                type = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? type;
            type = Nullable.GetUnderlyingType(type) ?? type;
        }
        return path is { Length: > 1 } ? type : null;
    }
}
