using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Inventory.Bench;

/// <summary>
/// N processes of the built local host (functions/Inventory.LocalHost, Release) on free ports over one store, as N
/// instances of a scaled-out Function App. Started and stopped by the bench itself; timers off, logs at Warning.
/// </summary>
public sealed class LocalHosts : IAsyncDisposable
{
    private readonly List<Process> processes = [];
    public List<Uri> Urls { get; } = [];

    /// <paramref name="perHost"/>: settings of host i besides <paramref name="settings"/> (e.g. its escrow bucket).
    public static async Task<LocalHosts> StartAsync(string dll, int count, string connection, string prefix, IReadOnlyDictionary<string, string> settings,
        Func<int, IReadOnlyDictionary<string, string>>? perHost = null)
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"No local host at {dll}: build it first (dotnet build Serverless.sln -c Release) or pass --host-dll.");
        var hosts = new LocalHosts();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var url = new Uri($"http://127.0.0.1:{FreePort()}/");
                var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                info.ArgumentList.Add(dll);
                info.ArgumentList.Add("--urls");
                info.ArgumentList.Add(url.ToString().TrimEnd('/'));
                info.Environment["Store__TableConnectionString"] = connection;
                info.Environment["Store__TablePrefix"] = prefix;
                info.Environment["LocalHost__RunTimers"] = "false";
                info.Environment["Logging__LogLevel__Default"] = "Warning";
                foreach (var (k, v) in settings.Concat(perHost?.Invoke(i) ?? new Dictionary<string, string>())) info.Environment[k] = v;
                var process = Process.Start(info)!;
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                hosts.processes.Add(process);
                hosts.Urls.Add(url);
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var url in hosts.Urls) await WaitHealthyAsync(http, url);
            return hosts;
        }
        catch
        {
            await hosts.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitHealthyAsync(HttpClient http, Uri url)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url, "api/health"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"The local host at {url} did not become healthy in 2 minutes.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in processes)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
            p.Dispose();
        }
        processes.Clear();
    }
}
