using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeSeg.Benchmarks.Mqtt;

/// <summary>A loopback mosquitto child process for the broker benchmarks (the test fixture's twin, kept minimal).</summary>
internal sealed class BenchBroker : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private BenchBroker(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static BenchBroker Start(params string[] extraConfig)
    {
        var directory = Path.Combine(Path.GetTempPath(), "edgeseg-bench-mosquitto-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var config = new List<string> { "allow_anonymous true", "persistence false", $"listener {port} 127.0.0.1" };
        if (Environment.UserName == "root")
        {
            config.Add("user root");
        }

        config.AddRange(extraConfig);
        var path = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllLines(path, config);
        var process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", path]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("mosquitto did not start");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(10);
            }
        }

        return new BenchBroker(process, directory, port);
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
