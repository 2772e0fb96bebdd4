using Inventory.Domain;

namespace Inventory.Functions.Api;

/// <summary>A body that is not JSON at all (syntax error, wrong encoding).</summary>
public sealed class MalformedJsonException(string detail) : DomainException("malformed-json", $"The body is not valid JSON: {detail}");

/// <summary>A body larger than the route accepts; nothing of it was read past the limit.</summary>
public sealed class PayloadTooLargeException(long limitBytes)
    : DomainException("payload-too-large", $"The body is larger than the {limitBytes} bytes this route accepts.")
{
    public long LimitBytes { get; } = limitBytes;
}

/// <summary>A webhook whose signature is missing, wrong, or cannot be checked because no secret is configured.</summary>
public sealed class WebhookSignatureException(string reason) : DomainException("invalid-signature", reason);

/// <summary>Order lines whose SKU no product carries: reported, never mapped to a guess.</summary>
public sealed class UnknownSkuException(string orderId, IReadOnlyList<string> skus)
    : DomainException("unknown-sku", $"Order '{orderId}' names SKUs no product carries: {string.Join(", ", skus)}. Nothing was reserved.")
{
    public string OrderId { get; } = orderId;
    public IReadOnlyList<string> Skus { get; } = skus;
}

/// <summary>A webhook topic this service does not handle.</summary>
public sealed class UnsupportedTopicException(string? topic)
    : DomainException("unsupported-topic", $"Topic '{topic}' is not handled; subscribe orders/create, orders/cancelled and orders/fulfilled only.")
{
    public string? Topic { get; } = topic;
}
