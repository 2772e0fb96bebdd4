using Cronos;
using Inventory.Functions;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.LocalHost;

/// <summary>
/// Runs one [TimerTrigger] function on its schedule, as the Functions host would: NCRONTAB with seconds (six fields),
/// five-field cron, or a TimeSpan interval; %Setting% names resolved from configuration. A failed run is logged and the
/// schedule goes on.
/// </summary>
public sealed class TimerSchedule(FunctionEntry function, IConfiguration configuration, IServiceProvider services, ILogger<TimerSchedule> log)
    : BackgroundService
{
    public static string Resolve(string schedule, IConfiguration configuration) => AppSettings.Resolve(schedule, configuration);

    /// <summary>The next time the schedule fires after <paramref name="from"/>.</summary>
    public static DateTimeOffset Next(string expression, DateTimeOffset from)
    {
        if (TimeSpan.TryParse(expression, System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
            return from + interval;
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var cron = CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        return cron.GetNextOccurrence(from, TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var trigger = (TimerTriggerAttribute)function.Trigger!;
        var expression = Resolve(trigger.Schedule, configuration);
        log.LogInformation("Timer {Name} on '{Schedule}', next at {Next:u}", function.Name, expression, Next(expression, DateTimeOffset.UtcNow));
        if (trigger.RunOnStartup) await RunOnceAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = Next(expression, DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, stoppingToken);
            await RunOnceAsync(stoppingToken);
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, null, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError(e, "Timer function {Name} failed", function.Name);
        }
    }
}
