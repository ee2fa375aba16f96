using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeSeg.TestSupport.Mosquitto;

/// <summary>
/// A real mosquitto broker run as a child process for one test fixture: its own temporary folder and config,
/// a plain listener (and optionally a TLS listener) on loopback ports the OS picked, anonymous access, and no
/// persistence unless <see cref="MosquittoOptions.Persistence"/> asks for it.
/// </summary>
/// <example>
/// <code>
/// await using var broker = await MosquittoBroker.StartAsync();
/// // connect to broker.Host:broker.Port ...
/// await broker.StopAsync();   // SIGTERM: the broker goes away (clients see the connection close)
/// await broker.StartAsync();  // the same ports again
/// </code>
/// </example>
/// <remarks>Dispose stops the process and deletes the folder. Not thread-safe: one test drives it.</remarks>
public sealed partial class MosquittoBroker : IAsyncDisposable
{
    /// <summary>Where Debian installs the broker.</summary>
    public const string BrokerPath = "/usr/sbin/mosquitto";

    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly MosquittoOptions _options;
    private Process? _process;

    private MosquittoBroker(MosquittoOptions options, string directory, int port, int? tlsPort, TestCertificates? certificates)
    {
        _options = options;
        Directory = directory;
        Port = port;
        TlsPort = tlsPort;
        Certificates = certificates;
    }

    /// <summary>True when mosquitto is installed here.</summary>
    public static bool IsInstalled => File.Exists(BrokerPath);

    /// <summary>The loopback address the broker listens on.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>The plain MQTT port.</summary>
    public int Port { get; }

    /// <summary>The TLS port, when <see cref="MosquittoOptions.Tls"/> was set.</summary>
    public int? TlsPort { get; }

    /// <summary>The test CA and certificates, when <see cref="MosquittoOptions.Tls"/> was set.</summary>
    public TestCertificates? Certificates { get; }

    /// <summary>The broker's temporary folder (config, log, certificates).</summary>
    public string Directory { get; }

    /// <summary>Path of the broker's log file.</summary>
    public string LogPath => Path.Combine(Directory, "mosquitto.log");

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Creates the folder and config, starts the broker, and waits until it accepts TCP connections.</summary>
    /// <exception cref="InvalidOperationException">mosquitto is missing or did not come up (the message includes its log).</exception>
    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MosquittoOptions();
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"mosquitto is not installed at {BrokerPath} (Debian: apt-get install mosquitto mosquitto-clients).");
        }

        var directory = Path.Combine(Path.GetTempPath(), "edgeseg-mosquitto-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var certificates = options.Tls ? TestCertificates.Create(Path.Combine(directory, "certs")) : null;
        var broker = new MosquittoBroker(options, directory, FreePort(), options.Tls ? FreePort() : null, certificates);
        broker.WriteConfig();
        await broker.StartAsync(cancellationToken);
        return broker;
    }

    /// <summary>Picks a free loopback port (the OS chooses; the listener is closed again at once).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>(Re)starts the process on the same ports and waits until it accepts connections. No-op when running.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        _process?.Dispose();
        var info = new ProcessStartInfo(BrokerPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(Directory, "mosquitto.conf"));
        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {BrokerPath}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode} at start. Log:\n{ReadLog()}");
            }

            if (await AcceptsAsync(Port, cancellationToken) && (TlsPort is not { } tls || await AcceptsAsync(tls, cancellationToken)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"mosquitto did not accept connections on port {Port} within 10 s. Log:\n{ReadLog()}");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Stops the broker with SIGTERM (clean shutdown: clients see their connections close) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        _ = Kill(process.Id, SigTerm);
        _ = Kill(process.Id, SigCont); // a frozen broker handles the SIGTERM once it runs again
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Freezes the broker with SIGSTOP and returns once the kernel reports it stopped: its sockets stay open but it
    /// reads, acknowledges and forwards nothing, so what clients send from now on is certainly unacknowledged.
    /// <see cref="KillAsync"/> ends a frozen broker.
    /// </summary>
    public void Freeze()
    {
        if (_process is not { HasExited: false } process || Kill(process.Id, SigStop) != 0)
        {
            throw new InvalidOperationException("The broker is not running, so it cannot be frozen.");
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!IsStopped(process.Id))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"mosquitto (pid {process.Id}) did not stop within 5 s of SIGSTOP.");
            }

            Thread.Sleep(1);
        }
    }

    // /proc/PID/stat reads "pid (comm) state ...", and state T is "stopped by a signal".
    private static bool IsStopped(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var state = stat.AsSpan(stat.LastIndexOf(')') + 2);
        return !state.IsEmpty && state[0] == 'T';
    }

    /// <summary>Kills the broker with SIGKILL (no goodbye to anyone) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The broker's log so far (empty when there is none yet).</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Stops the broker and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS eventually.
        }
    }

    private void WriteConfig()
    {
        var config = new StringBuilder();
        config.AppendLine("per_listener_settings false");
        config.AppendLine("allow_anonymous true");
        if (_options.Persistence)
        {
            config.AppendLine("persistence true");
            config.AppendLine($"persistence_location {Directory}{Path.DirectorySeparatorChar}");
        }
        else
        {
            config.AppendLine("persistence false");
        }

        config.AppendLine($"log_dest file {LogPath}");
        config.AppendLine("log_type error");
        config.AppendLine("log_type warning");
        config.AppendLine("log_type notice");
        config.AppendLine("log_type information");
        config.AppendLine("connection_messages true");
        if (Environment.UserName == "root")
        {
            // Started as root, mosquitto 2 drops to user "mosquitto", who cannot read this folder.
            config.AppendLine("user root");
        }

        config.AppendLine($"listener {Port} 127.0.0.1");
        if (TlsPort is { } tlsPort && Certificates is { } certs)
        {
            config.AppendLine($"listener {tlsPort} 127.0.0.1");
            config.AppendLine($"cafile {certs.CaCertificate}");
            config.AppendLine($"certfile {certs.ServerCertificate}");
            config.AppendLine($"keyfile {certs.ServerKey}");
            config.AppendLine($"require_certificate {(_options.RequireClientCertificate ? "true" : "false")}");
        }

        foreach (var line in _options.ExtraConfig)
        {
            config.AppendLine(line);
        }

        File.WriteAllText(Path.Combine(Directory, "mosquitto.conf"), config.ToString());
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // int kill(pid_t pid, int sig);
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
