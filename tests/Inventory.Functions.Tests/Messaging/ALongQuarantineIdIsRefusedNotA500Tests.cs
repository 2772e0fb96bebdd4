namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// Found in review (r2, DELETE /api/quarantine/{queue}/{quarantineId}). The route takes any printable quarantineId of up
/// to 512 characters, then reads the document <c>msg|{quarantineId}</c>. A store key holds at most 512 characters once
/// escaped (Table: 1 KiB of UTF-16; '#', '?', '%' and '\' escape to three characters each), which the prefix alone pushes
/// past: the in-memory store, which models both stores' key limits, throws, and the route answers 500 internal-error
/// ("retrying is safe"); Table Storage refuses the read with a 400, which the store maps to 503 store-unavailable with
/// Retry-After, so a client retries for good. No message can be kept under such an id (ids are at most 128 characters,
/// or a hash): the answer is 404 message-not-found, or a 400 naming quarantineId.
/// </summary>
public sealed class ALongQuarantineIdIsRefusedNotA500Tests
{
    private readonly QuarantineCalls calls = new();

    [Theory]
    [InlineData(509, 'a')]
    [InlineData(171, '#')]
    public async Task A_quarantineId_too_long_for_a_key_is_a_4xx_problem(int length, char c)
    {
        var dismissed = await calls.CallAsync("DELETE", "receipts", new string(c, length));

        Assert.True(dismissed.Status is 400 or 404, $"{dismissed.Status}: {dismissed.Body.GetRawText()}");
    }
}
