namespace Inventory.Application;

/// <summary>
/// The one commit that carried this request together with others for the same product failed for a reason other than
/// a lost race (the store is unreachable, a timeout). Every request of that commit gets its own copy of this error.
/// Whether the commit was applied is unknown when the store failed mid-way; retrying the request is safe (idempotent).
/// </summary>
public sealed class SharedCommitFailedException(string productId, int requests, Exception inner)
    : Exception($"The shared commit of {requests} requests on product '{productId}' failed: {inner.Message} Retrying this request is safe.", inner)
{
    public string ProductId { get; } = productId;
    public int Requests { get; } = requests;
}
