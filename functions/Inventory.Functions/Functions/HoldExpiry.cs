using Inventory.Application.Orders;
using Inventory.Application;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions.Functions;

public sealed class HoldExpiry(ExpireHolds expireHolds, ILogger<HoldExpiry> log)
{
    /// <summary>Releases reservations whose hold has expired, on the HoldSweepSchedule setting (NCRONTAB).</summary>
    [Function("ExpireHolds")]
    public async Task Run([TimerTrigger("%HoldSweepSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var result = await expireHolds.ExecuteAsync(ct);
        log.LogInformation("Hold sweep: {Due} due, {Released} released, {Failed} failed (past due: {PastDue})",
            result.HoldsDue, result.OrdersReleased, result.Failed, timer.IsPastDue);
    }
}
