using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Inventory.Functions.Tests.Support;

/// <summary>
/// A headless Chromium driven over the DevTools protocol (one WebSocket, JSON commands): enough to load a page, run
/// script in it, wait for what it shows and take a screenshot. The browser is Debian's <c>chromium</c> (scripts/test
/// installs it) or the one <c>CHROMIUM_PATH</c> names.
/// </summary>
public sealed partial class Chromium : IAsyncDisposable
{
    public const string SkipPrefix = "Needs Chromium";

    private readonly Process process;
    private readonly string profile;
    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    private readonly CancellationTokenSource stop = new();
    private int nextId;
    private Task? receiving;

    /// <summary>Uncaught exceptions and console errors of the page, in words.</summary>
    public ConcurrentQueue<string> PageErrors { get; } = new();

    private Chromium(Process process, string profile)
    {
        this.process = process;
        this.profile = profile;
    }

    public static string? FindExecutable() =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>Starts the browser with one blank page; null (and why) when it cannot be found or started.</summary>
    public static async Task<(Chromium? Browser, string? Why)> StartAsync(int width, int height)
    {
        if (FindExecutable() is not { } path) return (null, "no chromium executable (install Debian's chromium, or set CHROMIUM_PATH)");
        var profile = Directory.CreateTempSubdirectory("console-chromium-").FullName;
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            ArgumentList =
            {
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--hide-scrollbars", "--remote-debugging-port=0", $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
            },
        };
        Process process;
        try { process = Process.Start(info)!; }
        catch (Exception e) { return (null, $"{path} could not be started: {e.Message}"); }
        var browser = new Chromium(process, profile);
        var endpoint = await browser.ReadDevToolsEndpointAsync(TimeSpan.FromSeconds(60));
        if (endpoint is null)
        {
            await browser.DisposeAsync();
            return (null, $"{path} started but never offered a DevTools endpoint");
        }
        try
        {
            await browser.ConnectToPageAsync(endpoint);
            return (browser, null);
        }
        catch (Exception e)
        {
            await browser.DisposeAsync();
            return (null, $"could not connect to {path}'s DevTools: {e.Message}");
        }
    }

    private async Task<Uri?> ReadDevToolsEndpointAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardError.ReadLineAsync(cts.Token) is { } line)
                if (DevToolsLine().Match(line) is { Success: true } m)
                {
                    _ = process.StandardError.ReadToEndAsync(); // keep draining so the browser never blocks on a full pipe
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new Uri(m.Groups["url"].Value);
                }
        }
        catch (OperationCanceledException) { }
        return null;
    }

    private async Task ConnectToPageAsync(Uri browserEndpoint)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://{browserEndpoint.Authority}/json/list"))!.AsArray();
        var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!;
        await socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), CancellationToken.None);
        receiving = Task.Run(ReceiveAsync);
        await SendAsync("Runtime.enable");
        await SendAsync("Page.enable");
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        var result = await answer.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        if (result.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method} failed: {error}");
        return result.GetProperty("result");
    }

    /// <summary>Evaluates a script expression in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, awaitPromise = true, returnByValue = true });
        if (result.TryGetProperty("exceptionDetails", out var details)) throw new InvalidOperationException($"Script failed: {details}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Waits until a script expression is truthy in the page; fails with what the page shows when it never is.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var value = await EvaluateAsync($"Boolean({expression})");
            if (value.ValueKind == JsonValueKind.True) return;
            await Task.Delay(150);
        }
        var text = await EvaluateAsync("document.body ? document.body.innerText : ''");
        throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}. The page shows:\n{text}\nPage errors: {string.Join("; ", PageErrors)}");
    }

    public async Task NavigateAsync(string url) => await SendAsync("Page.navigate", new { url });

    public async Task<byte[]> ScreenshotAsync() =>
        Convert.FromBase64String((await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true }, TimeSpan.FromSeconds(60)))
            .GetProperty("data").GetString()!);

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open && !stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                var json = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                if (json.TryGetProperty("id", out var id) && pending.TryRemove(id.GetInt32(), out var answer)) answer.TrySetResult(json);
                else if (json.TryGetProperty("method", out var method)) Observe(method.GetString(), json.GetProperty("params"));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        foreach (var answer in pending.Values) answer.TrySetException(new InvalidOperationException("The browser closed the DevTools connection."));
    }

    private void Observe(string? method, JsonElement parameters)
    {
        if (method == "Runtime.exceptionThrown")
            PageErrors.Enqueue(parameters.GetProperty("exceptionDetails").ToString());
        else if (method == "Runtime.consoleAPICalled" && parameters.GetProperty("type").GetString() == "error")
            PageErrors.Enqueue("console.error: " + parameters.GetProperty("args").ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try { socket.Abort(); } catch (ObjectDisposedException) { }
        socket.Dispose();
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        process.Dispose();
        if (receiving is not null) await receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        stop.Dispose();
    }

    [GeneratedRegex(@"DevTools listening on (?<url>ws://\S+)")]
    private static partial Regex DevToolsLine();
}
