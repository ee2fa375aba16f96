using System.Diagnostics;

namespace EdgeSeg.OpenCv.Tests.Support;

/// <summary>The ffmpeg command-line tool, used to make test clips and as the independent decoder to compare with.</summary>
public static class Ffmpeg
{
    /// <summary>Runs ffmpeg to completion; throws with its stderr when it fails.</summary>
    public static void Run(params string[] arguments)
    {
        using var process = Start(arguments, redirectOutput: false);
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ffmpeg {string.Join(' ', arguments)} ran over 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }
    }

    /// <summary>Starts ffmpeg; the caller disposes (and kills) the process.</summary>
    public static Process Start(IEnumerable<string> arguments, bool redirectOutput)
    {
        var info = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = redirectOutput,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-hide_banner");
        info.ArgumentList.Add("-nostdin");
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start ffmpeg");
    }

    /// <summary>
    /// Makes a clip of <paramref name="frames"/> frames of ffmpeg's moving test pattern (every frame differs).
    /// The pattern is rendered at an even size and cropped so odd sizes work with 4:4:4 chroma.
    /// </summary>
    public static void MakeClip(string path, int width, int height, int frames, int fps, string codec, string pixelFormat, params string[] extra)
    {
        var args = new List<string>
        {
            "-v", "error", "-y", "-f", "lavfi",
            "-i", $"testsrc2=size={width + (width & 1)}x{height + (height & 1)}:rate={fps}",
            "-vf", $"format={pixelFormat},crop={width}:{height}:0:0",
            "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", codec, "-pix_fmt", pixelFormat,
        };
        args.AddRange(extra);
        args.Add(path);
        Run([.. args]);
    }

    /// <summary>Decodes every frame of a file with the ffmpeg tool into packed BGR24 frames.</summary>
    public static List<byte[]> DecodeBgr(string path, int width, int height)
    {
        using var process = Start(["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "bgr24", "-"], redirectOutput: true);
        var stderr = process.StandardError.ReadToEndAsync();
        var frames = new List<byte[]>();
        var frameBytes = width * height * 3;
        var stream = process.StandardOutput.BaseStream;
        while (true)
        {
            var frame = new byte[frameBytes];
            var read = 0;
            while (read < frameBytes)
            {
                var n = stream.Read(frame, read, frameBytes - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            if (read == 0)
            {
                break;
            }

            if (read != frameBytes)
            {
                throw new InvalidOperationException($"ffmpeg gave a partial frame of {read} bytes from {path}");
            }

            frames.Add(frame);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not decode {path}: {stderr.Result}");
        }

        return frames;
    }
}
