using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeSeg.Core.Imaging;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Encodes BGR frames to H.264 (libx264, yuv420p, MP4) by piping raw frames into the <c>ffmpeg</c> command-line tool.
/// Dispose to finish the file; <see cref="Complete"/> reports ffmpeg's own error when encoding failed.
/// </summary>
internal sealed class FfmpegVideoSink : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly StringBuilder _errors = new();
    private readonly string _path;
    private readonly int _frameBytes;
    private bool _completed;

    public FfmpegVideoSink(string path, int width, int height, double fps, int crf = 18)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _frameBytes = width * height * 3;
        var info = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var inv = CultureInfo.InvariantCulture;
        foreach (var arg in (string[])["-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24",
            "-s", string.Create(inv, $"{width}x{height}"), "-r", fps.ToString(inv), "-i", "-",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", crf.ToString(inv), "-pix_fmt", "yuv420p",
            "-g", ((int)Math.Round(fps * 2)).ToString(inv), "-movflags", "+faststart", path])
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            _process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Video output needs the ffmpeg command-line tool, which is not on the PATH: run scripts/setup.sh apt (Debian package ffmpeg).", e);
        }

        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
        _process.StandardOutput.Close();
        _stdin = _process.StandardInput.BaseStream;
    }

    /// <summary>Frames written so far.</summary>
    public int Frames { get; private set; }

    /// <summary>Writes one frame (the image must have the size given at construction).</summary>
    public void Write(ImageBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.ByteCount != _frameBytes || frame.Channels != 3)
        {
            throw new ArgumentException("The frame's size differs from the video's.", nameof(frame));
        }

        try
        {
            _stdin.Write(frame.Data, 0, _frameBytes);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"ffmpeg stopped while writing {_path}: {ErrorText()}", e);
        }

        Frames++;
    }

    /// <summary>Closes the input, waits for ffmpeg and throws with its message if it failed.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _stdin.Dispose();
        _process.WaitForExit();
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed (exit code {_process.ExitCode}) writing {_path}: {ErrorText()}");
        }
    }

    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _stdin.Dispose();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }

    private string ErrorText()
    {
        lock (_errors)
        {
            return _errors.Length == 0 ? "(no message)" : _errors.ToString().Trim();
        }
    }
}
