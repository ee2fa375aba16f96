using System.Diagnostics;

namespace EdgeSeg.TestSupport.Mosquitto;

/// <summary>
/// A throw-away certificate authority with a server certificate (for <c>localhost</c> and 127.0.0.1) and a client
/// certificate, made with the <c>openssl</c> command line into a folder. PEM files; keys unencrypted.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string directory)
    {
        Directory = directory;
    }

    /// <summary>The folder holding the files.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate (trust anchor for both sides).</summary>
    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    /// <summary>The server certificate, signed by the CA, valid for localhost and 127.0.0.1.</summary>
    public string ServerCertificate => Path.Combine(Directory, "server.crt");

    /// <summary>The server's private key.</summary>
    public string ServerKey => Path.Combine(Directory, "server.key");

    /// <summary>A client certificate signed by the CA (for mutual TLS).</summary>
    public string ClientCertificate => Path.Combine(Directory, "client.crt");

    /// <summary>The client's private key.</summary>
    public string ClientKey => Path.Combine(Directory, "client.key");

    /// <summary>Creates the CA and certificates in <paramref name="directory"/> (created if missing).</summary>
    /// <exception cref="InvalidOperationException">openssl is missing or failed; the message carries its output.</exception>
    public static TestCertificates Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var certs = new TestCertificates(directory);
        const string Curve = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        File.WriteAllText(Path.Combine(directory, "server.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        File.WriteAllText(Path.Combine(directory, "client.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n");
        Run($"req -x509 {Curve} -keyout ca.key -out ca.crt -days 2 -subj /CN=EdgeSeg-Test-CA "
            + "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign", directory);
        Run($"req {Curve} -keyout server.key -out server.csr -subj /CN=localhost", directory);
        Run("x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext", directory);
        Run($"req {Curve} -keyout client.key -out client.csr -subj /CN=edgeseg-test-client", directory);
        Run("x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 -extfile client.ext", directory);
        return certs;
    }

    private static void Run(string arguments, string directory)
    {
        var info = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start openssl.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new InvalidOperationException($"openssl {arguments} did not finish in 30 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        }
    }
}
