namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// Found in review (r2, DELETE /api/quarantine/{queue}/{quarantineId}). docs/http-api.md's error table gives
/// <c>message-not-found</c> (404) the extra fields <c>queue</c> and <c>quarantineId</c>, and every refusal carries "the
/// fields that caused it". QuarantinedMessageNotFoundException has both, but Problems.Members has no case for it, so the
/// problem body has neither: a client dismissing a batch cannot tell which message was gone without parsing the detail.
/// </summary>
public sealed class AMessageNotFoundProblemNamesTheQueueAndTheQuarantineIdTests
{
    private readonly QuarantineCalls calls = new();

    [Fact]
    public async Task The_404_carries_queue_and_quarantineId()
    {
        var missing = await calls.CallAsync("DELETE", "receipts", "m-404");

        Assert.Equal((404, "message-not-found"), (missing.Status, missing.Body.GetProperty("code").GetString()));
        Assert.True(missing.Body.TryGetProperty("queue", out var queue), "no queue member: " + missing.Body.GetRawText());
        Assert.True(missing.Body.TryGetProperty("quarantineId", out var id), "no quarantineId member: " + missing.Body.GetRawText());
        Assert.Equal(("receipts", "m-404"), (queue.GetString(), id.GetString()));
    }
}
