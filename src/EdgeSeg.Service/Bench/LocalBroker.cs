using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeSeg.Service.Bench;

/// <summary>
/// A mosquitto the bench starts for itself on a free loopback port (anonymous, no persistence) and stops at the end.
/// </summary>
internal sealed class LocalBroker : IAsyncDisposable
{
    /// <summary>Where Debian and Ubuntu install the broker.</summary>
    public const string DefaultPath = "/usr/sbin/mosquitto";

    private readonly Process _process;
    private readonly string _directory;

    private LocalBroker(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Starts the broker and waits (up to 10 s) until it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">No broker at <paramref name="path"/>, or it did not come up.</exception>
    public static async Task<LocalBroker> StartAsync(string path = DefaultPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"mosquitto is not installed at {path} (make setup installs it), and no --mqtt broker was given.");
        }

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var directory = Directory.CreateTempSubdirectory("edgeseg-bench-broker-").FullName;
        var config = Path.Combine(directory, "mosquitto.conf");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest file {Path.Combine(directory, "mosquitto.log")}\nmax_queued_messages 100000\n");
        if (Environment.UserName == "root")
        {
            // Started as root, mosquitto 2 drops to user "mosquitto", who cannot write the log in this folder.
            text += "user root\n";
        }

        await File.WriteAllTextAsync(config, text, cancellationToken);
        var info = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {path}.");
        var broker = new LocalBroker(process, directory, port);
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (true)
        {
            if (process.HasExited)
            {
                await broker.DisposeAsync();
                throw new InvalidOperationException($"mosquitto exited with code {process.ExitCode} at start ({config}).");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return broker;
            }
            catch (SocketException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (SocketException e)
            {
                await broker.DisposeAsync();
                throw new InvalidOperationException($"mosquitto did not accept connections on 127.0.0.1:{port} within 10 s: {e.Message}", e);
            }
        }
    }

    /// <summary>Stops the broker and removes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The log is still held open; the temp folder is cleaned by the OS eventually.
        }
    }
}
