
namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// Found in review (r2, DELETE /api/quarantine/{queue}/{quarantineId}). docs/http-api.md: "409 invalid-state when it was
/// quarantined again since it was listed (read it again)"; docs/receiving.md: "a message quarantined again since it was
/// listed is not dismissed (409: read it again)". The DELETE carries nothing of the listing (no ETag, no quarantinedAt):
/// Quarantine.DismissAsync reads the document at the dismissal and deletes it under the ETag it has just read, so only a
/// redelivery landing between those two calls is refused. A message quarantined again after the operator listed it (a
/// redelivery with a higher deliveryCount, possibly a new reason) is dismissed with 204, and the operator never reads it.
/// </summary>
public sealed class AQuarantinedMessageQuarantinedAgainSinceListedIsNotDismissedTests
{
    private readonly QuarantineCalls calls = new();

    [Fact]
    public async Task A_message_quarantined_again_after_it_was_listed_is_a_409()
    {
        await calls.Functions.ReceivePurchaseOrder("{\"poId\":", "m-1", 1, default);
        var listed = (await calls.CallAsync("GET", "receipts", null)).Body.GetProperty("messages")[0];
        var id = listed.GetProperty("quarantineId").GetString()!;
        Assert.Equal(1, listed.GetProperty("deliveryCount").GetInt32());

        await calls.Functions.ReceivePurchaseOrder("{\"poId\":", "m-1", 2, default); // redelivered and quarantined again, after the listing
        var dismissed = await calls.CallAsync("DELETE", "receipts", id);

        Assert.Equal((409, "invalid-state"), (dismissed.Status, dismissed.Status == 204 ? "(204: dismissed)" : dismissed.Body.GetProperty("code").GetString()));
        Assert.Equal(2, (await calls.CallAsync("GET", "receipts", null)).Body.GetProperty("messages")[0].GetProperty("deliveryCount").GetInt32());
    }
}
