using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>
/// <c>edgeseg run</c> as a child process with its HTTP server on a free loopback port: <see cref="Http"/> talks to it,
/// <see cref="StopAsync"/> sends SIGTERM as systemd does and returns the exit code. Killed on dispose if still running.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>What the service printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the service (through the repository's <c>bin/edgeseg</c> launcher when <paramref name="launcher"/>, else
    /// <c>dotnet edgeseg.dll</c>) with <paramref name="args"/> after <c>run</c>, and waits until <c>/healthz</c> answers.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string workingDirectory, bool launcher, params string[] args)
    {
        var port = FreePort();
        string[] all = ["run", .. args, $"--Http:Urls=http://127.0.0.1:{port}"];
        var info = launcher ? EdgesegProcess.LauncherStartInfo(workingDirectory, all) : EdgesegProcess.StartInfo(workingDirectory, all);
        var service = new ServiceProcess(Process.Start(info)!, port);
        try
        {
            await service.WaitUntilAsync(async () =>
            {
                try
                {
                    using var response = await service.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), "/healthz to answer");
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until true; fails naming <paramref name="what"/> (and the service's output) after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"edgeseg exited ({_process.ExitCode}) while waiting for {what}: {Output}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}; edgeseg said: {Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, then the exit code (bounded by <paramref name="timeout"/>).</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
