using System.Diagnostics;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>Real H.264 clips made with the ffmpeg tool (its test pattern, 10 fps).</summary>
internal static class TestClips
{
    /// <summary>
    /// Writes a <paramref name="width"/>x<paramref name="height"/> clip of <paramref name="frames"/> frames of ffmpeg's
    /// <paramref name="pattern"/> source (testsrc2, testsrc, ...) to <paramref name="path"/>.
    /// </summary>
    public static async Task<string> MakeAsync(string path, int width, int height, int frames, string pattern = "testsrc2")
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-v", "error", "-y", "-f", "lavfi", "-i", $"{pattern}=size={width}x{height}:rate=10", "-frames:v", $"{frames}", "-pix_fmt", "yuv420p", "-c:v", "libx264", path })
        {
            info.ArgumentList.Add(arg);
        }

        using var ffmpeg = Process.Start(info)!;
        var error = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, "ffmpeg: " + error);
        return path;
    }
}
