using System.Text.Json;
using Inventory.Functions.Functions;
using Inventory.Functions.Messaging;
using Inventory.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// Found in review (r2, DELETE /api/quarantine/{queue}/{quarantineId}). docs/http-api.md's error table gives
/// <c>message-not-found</c> (404) the extra fields <c>queue</c> and <c>quarantineId</c>, and every refusal carries "the
/// fields that caused it". QuarantinedMessageNotFoundException has both, but Problems.Members has no case for it, so the
/// problem body has neither: a client dismissing a batch cannot tell which message was gone without parsing the detail.
/// </summary>
public sealed class AMessageNotFoundProblemNamesTheQueueAndTheQuarantineIdTests
{
    private readonly InventoryApplication app = new(new InMemoryDocumentStore());
    private readonly ReceivingFunctions functions;

    public AMessageNotFoundProblemNamesTheQueueAndTheQuarantineIdTests() =>
        functions = app.Create<ReceivingFunctions>(new QueueIntake(app.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());

    [Fact]
    public async Task The_404_carries_queue_and_quarantineId()
    {
        var missing = await CallAsync("DELETE", "receipts", "m-404");

        Assert.Equal((404, "message-not-found"), (missing.Status, missing.Body.GetProperty("code").GetString()));
        Assert.True(missing.Body.TryGetProperty("queue", out var queue), "no queue member: " + missing.Body.GetRawText());
        Assert.True(missing.Body.TryGetProperty("quarantineId", out var id), "no quarantineId member: " + missing.Body.GetRawText());
        Assert.Equal(("receipts", "m-404"), (queue.GetString(), id.GetString()));
    }

    private async Task<(int Status, JsonElement Body)> CallAsync(string method, string queue, string? quarantineId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = $"/api/quarantine/{queue}" + (quarantineId is null ? "" : "/" + quarantineId);
        context.Response.Body = new MemoryStream();
        var result = quarantineId is null ? await functions.Quarantined(context.Request, queue, default)
            : await functions.DismissQuarantined(context.Request, queue, quarantineId, default);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
