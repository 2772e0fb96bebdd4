namespace Inventory.Functions.OpenApi;

/// <summary>What the OpenAPI document says about an HTTP function beyond its route and methods, which it reads from the trigger.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiOperationAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;
    public string? Description { get; init; }
    public Type? RequestBody { get; init; }
    public bool RequestBodyOptional { get; init; }
    public Type? Response { get; init; }
    /// <summary>Another shape the success statuses may carry (described as one of the two), e.g. a count's status beside its result.</summary>
    public Type? OrResponse { get; init; }
    /// <summary>Media types the body may also come as (described as text), e.g. text/csv beside JSON.</summary>
    public string[] AlsoConsumes { get; init; } = [];
    /// <summary>Success statuses, e.g. 201 and 200 for a create-or-replay.</summary>
    public int[] Success { get; init; } = [200];
    public string[] Query { get; init; } = [];
    public string[] Headers { get; init; } = [];
    public string Tag { get; init; } = "inventory";
}
