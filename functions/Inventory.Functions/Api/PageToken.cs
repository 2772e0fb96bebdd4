using System.Buffers.Text;
using System.Text;
using Inventory.Domain;

namespace Inventory.Functions.Api;

/// <summary>
/// The one encoding of continuation tokens on the wire: base64url of the service's own token, so it travels in a query
/// string as given, and a token the service did not issue is a 400 on the parameter.
/// </summary>
public static class PageToken
{
    public static string? Encode(string? token) => token is { } t ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(t)) : null;

    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try { return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { throw new ValidationException("continuationToken", "is not a token this service issued"); }
    }
}
