using System.Security.Cryptography;
using System.Text;
using Inventory.Functions.Api;
using Microsoft.Extensions.Configuration;

namespace Inventory.Functions.Shopify;

/// <summary>
/// Checks X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256 of the raw body under the app's shared secret
/// (setting Shopify:WebhookSecret). Compared in constant time. No secret configured means no webhook is trusted.
/// </summary>
public sealed class ShopifySignature(IConfiguration configuration)
{
    public const string SecretSetting = "Shopify:WebhookSecret";

    public void Verify(ReadOnlySpan<byte> body, string? header)
    {
        var secret = configuration[SecretSetting];
        if (string.IsNullOrEmpty(secret)) throw new WebhookSignatureException($"No webhook secret is configured ({SecretSetting}); no webhook is accepted.");
        if (string.IsNullOrEmpty(header)) throw new WebhookSignatureException("X-Shopify-Hmac-Sha256 is missing.");
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        var given = new byte[expected.Length + 3];
        if (!Convert.TryFromBase64String(header.Trim(), given, out var length) || length != expected.Length
            || !CryptographicOperations.FixedTimeEquals(given.AsSpan(0, length), expected))
            throw new WebhookSignatureException("X-Shopify-Hmac-Sha256 does not match the body.");
    }

    /// <summary>The header value Shopify would send for this body (tests, docs).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
