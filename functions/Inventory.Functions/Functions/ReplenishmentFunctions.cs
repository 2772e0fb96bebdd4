using Inventory.Application;
using Inventory.Application.Replenishment;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions.Functions;

public sealed class ReplenishmentFunctions(DailyReplenishmentScan replenishmentScan, ReplenishmentQueries replenishmentQueries, IPurchaseOrderPublisher publisher, OutboxPublisher outbox, ILogger<ReplenishmentFunctions> log)
{
    /// <summary>The nightly safety-stock scan, on the ReplenishmentSchedule setting (NCRONTAB, default 02:00 UTC).</summary>
    [Function("DailyReplenishmentScan")]
    public async Task Scan([TimerTrigger("%ReplenishmentSchedule%", UseMonitor = true)] TimerInfo timer, CancellationToken ct)
    {
        // Past due: the host missed the scheduled time (stopped, redeployed). The run still happens, once: a run of the day
        // already completed is returned as it is, and one interrupted resumes from its checkpoint.
        if (timer.IsPastDue) log.LogWarning("DailyReplenishmentScan is past due; running it now");
        var run = await replenishmentScan.ExecuteAsync(timer.IsPastDue, ct: ct);
        log.LogInformation("Replenishment run {RunId} {Status} (past due: {PastDue}): {Scanned} scanned, {BelowThreshold} at or below threshold, "
            + "{OrdersCreated} orders created, {SkippedOpenOrder} skipped with an open order, {Errors} errors",
            run.RunId, run.Status, run.PastDue, run.Scanned, run.BelowThreshold, run.OrdersCreated, run.SkippedOpenOrder, run.Errors);
        foreach (var sample in run.ErrorSamples) log.LogWarning("Replenishment run {RunId} error: {Error}", run.RunId, sample);
    }

    [Function("GetLatestReplenishmentRun")]
    [ApiOperation("The latest nightly scan: counts and whether it completed", Response = typeof(ReplenishmentRunResponse), Tag = "replenishment")]
    public Task<IActionResult> Latest(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "replenishment/runs/latest")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () => await replenishmentScan.LatestAsync(ct) is { } run
            ? JsonResponse.Ok(ReplenishmentRunResponse.From(run))
            : Problems.Of("replenishment-run-not-found", "No replenishment scan has run yet.", req));

    [Function("GetProductReplenishment")]
    [ApiOperation("A product's replenishment: position against the nightly rule, open orders, configured vs measured lead time",
        Response = typeof(ProductReplenishmentResponse), Tag = "replenishment")]
    public Task<IActionResult> Product(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{productId}/replenishment")] HttpRequest req, string productId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () => JsonResponse.Ok(ProductReplenishmentResponse.From(await replenishmentQueries.GetAsync(productId, ct))));

    [Function("GetReplenishmentOutbox")]
    [ApiOperation("Purchase orders raised while no Service Bus is configured (kept in the store instead of the purchase-orders queue)",
        Response = typeof(OutboxResponse), Tag = "replenishment")]
    public Task<IActionResult> Outbox(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "replenishment/outbox")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () => JsonResponse.Ok(
            new OutboxResponse(publisher is OutboxPublisher ? "outbox" : "serviceBus", (await outbox.ListAsync(ct: ct)).Select(PurchaseOrderResponse.From).ToArray())));
}
