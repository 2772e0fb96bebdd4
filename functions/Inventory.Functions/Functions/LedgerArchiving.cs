using Inventory.Application.Stock;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Inventory.Functions.Functions;

public sealed class LedgerArchiving(LedgerArchival archival, ILogger<LedgerArchiving> log)
{
    /// <summary>
    /// Moves ledger entries older than Ledger:ArchiveAfterDays to the archive, product by product, on the
    /// ArchiveLedgerSchedule setting (NCRONTAB). Safe to stop and rerun at any point: nothing hot is deleted before its part is written.
    /// </summary>
    [Function("ArchiveLedger")]
    public async Task Run([TimerTrigger("%ArchiveLedgerSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var run = await archival.ExecuteAsync(ct);
        if (!run.Enabled)
        {
            log.LogInformation("Ledger archival is off (Ledger:ArchiveAfterDays is not set)");
            return;
        }
        var level = run.Errors > 0 ? LogLevel.Warning : LogLevel.Information;
        log.Log(level, "Ledger archival: {Products} products, {Parts} parts written, {Moved} entries moved, {Leftovers} left over from an earlier run removed, {Errors} stopped short {Samples} (past due: {PastDue})",
            run.Products, run.PartsWritten, run.EntriesMoved, run.LeftoversRemoved, run.Errors, run.ErrorSamples, timer.IsPastDue);
    }
}
