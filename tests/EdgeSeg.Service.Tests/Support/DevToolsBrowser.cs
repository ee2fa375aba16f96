using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>
/// Debian's real Chromium, headless, driven over the DevTools protocol (a WebSocket to its one page): navigate,
/// evaluate script in the page, take a screenshot, and collect every console error, uncaught exception and
/// browser-logged error (failed loads, Content-Security-Policy violations). A fresh profile per instance, deleted
/// on dispose; the browser process is killed on dispose.
/// </summary>
internal sealed class DevToolsBrowser : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private DevToolsBrowser(Process process, TempDirectory profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Where the browser is, or null when it is not installed (Debian: <c>apt-get install chromium</c>).</summary>
    public static string? ExecutablePath { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Console errors, uncaught exceptions and browser-logged errors so far, one line each.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Starts the browser with a <paramref name="width"/> x <paramref name="height"/> window on about:blank.</summary>
    public static async Task<DevToolsBrowser> LaunchAsync(int width, int height)
    {
        var executable = ExecutablePath ?? throw new InvalidOperationException("chromium is not installed (apt-get install chromium)");
        var profile = new TempDirectory();
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--force-device-scale-factor=1",
            $"--window-size={width},{height}", $"--user-data-dir={profile.Path}", "--remote-debugging-port=0", "about:blank",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            // Chromium writes the port it picked (and the browser's WebSocket path) into the profile once it listens.
            var portFile = Path.Combine(profile.Path, "DevToolsActivePort");
            var clock = Stopwatch.StartNew();
            string[] lines;
            while (!File.Exists(portFile) || (lines = await File.ReadAllLinesAsync(portFile)).Length < 2)
            {
                if (process.HasExited || clock.Elapsed > CommandTimeout)
                {
                    throw new InvalidOperationException($"chromium did not open its DevTools port (exited: {process.HasExited}): {stderr}");
                }

                await Task.Delay(50);
            }

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{lines[0].Trim()}") };
            var targets = JsonNode.Parse(await http.GetStringAsync(new Uri("/json/list", UriKind.Relative)))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            var browser = new DevToolsBrowser(process, profile, socket);
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Log.enable");
            await browser.SendAsync("Page.enable");
            return browser;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            profile.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        if (result?["errorText"] is { } error)
        {
            throw new InvalidOperationException($"chromium could not open {url}: {error}");
        }

        await _loaded.Task.WaitAsync(CommandTimeout);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value (JSON-serialisable results only).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result?["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"script '{expression}' threw: {exception.ToJsonString()}");
        }

        return result?["result"]?["value"];
    }

    /// <summary>Polls <paramref name="expression"/> until it is true; fails after <paramref name="timeout"/> naming what it waited for.</summary>
    public async Task WaitUntilAsync(string expression, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!(await EvaluateAsync(expression) is JsonValue value && value.TryGetValue<bool>(out var ok) && ok))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"the page did not satisfy '{expression}' within {timeout.TotalSeconds} s; errors: {string.Join(" | ", Errors)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Resizes the viewport to <paramref name="width"/> x <paramref name="height"/> CSS pixels, as a phone (<paramref name="mobile"/>) or a desktop.</summary>
    public Task ResizeAsync(int width, int height, bool mobile) => SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
    {
        ["width"] = width,
        ["height"] = height,
        ["deviceScaleFactor"] = 1,
        ["mobile"] = mobile,
    });

    /// <summary>Saves a PNG of the whole page (not only the window) to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var width = (int)(await EvaluateAsync("document.documentElement.scrollWidth"))!;
        var height = (int)(await EvaluateAsync("document.documentElement.scrollHeight"))!;
        var result = await SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)result!["data"]!));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone, or the kill is still being delivered: the profile folder goes either way.
        }

        _socket.Dispose();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The socket closed under the loop.
        }

        _process.Dispose();
        _stop.Dispose();
        _profile.Dispose();
    }

    private async Task<JsonNode?> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        return await reply.Task.WaitAsync(CommandTimeout);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            message.SetLength(0);
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, _stop.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var node = JsonNode.Parse(message.ToArray())!;
            if (node["id"] is { } id)
            {
                if (_pending.TryRemove((int)id, out var reply))
                {
                    if (node["error"] is { } error)
                    {
                        reply.TrySetException(new InvalidOperationException($"DevTools error: {error.ToJsonString()}"));
                    }
                    else
                    {
                        reply.TrySetResult(node["result"]);
                    }
                }

                continue;
            }

            OnEvent((string)node["method"]!, node["params"]);
        }
    }

    private void OnEvent(string method, JsonNode? parameters)
    {
        var type = Text(parameters?["type"]);
        var entry = parameters?["entry"];
        switch (method)
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.consoleAPICalled" when type is "error" or "assert":
                _errors.Enqueue($"console.{type}: {parameters?["args"]?.ToJsonString()}");
                break;
            case "Runtime.exceptionThrown":
                _errors.Enqueue($"uncaught: {parameters?["exceptionDetails"]?.ToJsonString()}");
                break;
            case "Log.entryAdded" when Text(entry?["level"]) == "error":
                _errors.Enqueue($"{Text(entry?["source"])}: {Text(entry?["text"])} ({Text(entry?["url"])})");
                break;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
