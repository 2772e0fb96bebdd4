using Inventory.Application.Counts;
using Inventory.Application;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions.Functions;

public sealed class StockCountResume(RecordedCounts recordedCounts, ILogger<StockCountResume> log)
{
    /// <summary>
    /// Carries on recorded stock counts that no request is applying any more (answered 202, or interrupted). Shares the
    /// RecoverOrdersSchedule setting (every minute by default): both finish work left in flight.
    /// </summary>
    [Function("ResumeStockCounts")]
    public async Task Run([TimerTrigger("%RecoverOrdersSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var result = await recordedCounts.ResumeOpenAsync(ct);
        log.LogInformation("Stock counts: {Open} open, {Resumed} resumed, {Completed} completed, {Failed} failed (past due: {PastDue})",
            result.Open, result.Resumed, result.Completed, result.Failed, timer.IsPastDue);
    }
}
