using Inventory.Application.Orders;
using Inventory.Application;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions.Functions;

public sealed class OrderRecovery(RecoverOrders recoverOrders, ILogger<OrderRecovery> log)
{
    /// <summary>Finishes order sagas left open (a crash, a timeout), on the RecoverOrdersSchedule setting (NCRONTAB).</summary>
    [Function("RecoverOrders")]
    public async Task Run([TimerTrigger("%RecoverOrdersSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var result = await recoverOrders.ExecuteAsync(ct);
        log.LogInformation("Order recovery: {Open} open, {Due} due, {Finished} finished, {Failed} failed, {Unknown} of unknown kind (past due: {PastDue})",
            result.Open, result.Due, result.Finished, result.Failed, result.UnknownKind, timer.IsPastDue);
        foreach (var failure in result.Failures ?? []) log.LogWarning("Order recovery failed (left for the next run): {Failure}", failure);
    }
}
