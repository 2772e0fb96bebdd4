using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Inventory.Functions.Tests.Support;

/// <summary>
/// The built local host as its own process on a free port, over the Azurite of INVENTORY_TEST_STORAGE with tables of its
/// own: what <c>scripts/run</c> starts, reachable by a real browser (the in-memory test server is not).
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder output = new();

    public string Url { get; }
    public static string RepoRoot { get; } = FindRoot();

    private LocalHostProcess(Process process, string url)
    {
        this.process = process;
        Url = url;
    }

    public static async Task<LocalHostProcess> StartAsync(string storage)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Inventory.LocalHost.dll");
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url);
        info.Environment["Store__TableConnectionString"] = storage;
        info.Environment["Store__TablePrefix"] = "ui" + Guid.NewGuid().ToString("N")[..12];
        info.Environment["LocalHost__RunTimers"] = "false";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var host = new LocalHostProcess(Process.Start(info)!, url);
        host.process.OutputDataReceived += (_, e) => { lock (host.output) host.output.AppendLine(e.Data); };
        host.process.ErrorDataReceived += (_, e) => { lock (host.output) host.output.AppendLine(e.Data); };
        host.process.BeginOutputReadLine();
        host.process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 300; i++)
        {
            if (host.process.HasExited) break;
            try
            {
                if ((await http.GetAsync(url + "/api/health")).StatusCode == HttpStatusCode.OK) return host;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        var log = host.Output;
        await host.DisposeAsync();
        throw new InvalidOperationException($"The local host did not become healthy at {url}:\n{log}");
    }

    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Runs <c>node scripts/demo-data.mjs</c> against this host: exactly what <c>scripts/run --demo</c> loads.</summary>
    public async Task LoadDemoDataAsync()
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
        info.ArgumentList.Add(Path.Combine(RepoRoot, "scripts", "demo-data.mjs"));
        info.ArgumentList.Add(Url);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (node.ExitCode != 0) throw new InvalidOperationException($"demo-data.mjs failed ({node.ExitCode}): {await stdout}{await stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (Serverless.sln) is not above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
        process.Dispose();
    }
}
