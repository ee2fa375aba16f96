using System.Diagnostics;
using EdgeSeg.OpenCv.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Support;

/// <summary>
/// A live MPEG-TS stream over HTTP on loopback, served by the real ffmpeg tool in listen mode (-listen 1), looping a
/// clip at its real rate (-re) so it behaves like a camera. Kill it to make the stream die.
/// </summary>
public sealed class HttpTsServer : IDisposable
{
    private readonly Process _process;

    public HttpTsServer(string clip, int port)
    {
        Port = port;
        Url = $"http://127.0.0.1:{port}/live.ts";
        _process = Ffmpeg.Start(["-v", "error", "-re", "-stream_loop", "-1", "-i", clip, "-c", "copy", "-f", "mpegts", "-listen", "1", Url], redirectOutput: false);
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string Url { get; }

    /// <summary>Makes a small looping-friendly H.264 MPEG-TS clip (320x240, 25 fps, 2 s).</summary>
    public static string MakeClip(string folder)
    {
        var path = Path.Combine(folder, "live.ts");
        Ffmpeg.MakeClip(path, 320, 240, 50, 25, "libx264", "yuv420p", "-g", "5", "-bf", "0", "-f", "mpegts");
        return path;
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
