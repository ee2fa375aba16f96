using System.Diagnostics;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Sources;

namespace EdgeSeg.Pipeline.Tests.Sources;

/// <summary>
/// A paced file holds each frame until it is due: at the file's own rate, or at <see cref="FrameSourceOptions.Fps"/>.
/// Only lower bounds are asserted (a frame is never early); how late a loaded machine delivers is not this test's business.
/// </summary>
public sealed class VideoFilePacingTests(SourceClips clips) : IClassFixture<SourceClips>
{
    [Theory]
    [InlineData(null, 25.0)]
    [InlineData(10.0, 10.0)]
    public void TryRead_Paced_NoFrameBeforeItIsDue(double? fps, double expectedRate)
    {
        const int frames = 6;
        using var source = new VideoFileSource(new FrameSourceOptions { Id = "paced", Uri = clips.H264, Paced = true, Fps = fps });
        source.Open();
        var pool = new FramePool(source.Width, source.Height, 3, 1);
        var stamps = new List<long>();

        for (var i = 0; i < frames; i++)
        {
            var frame = pool.TryRent()!;
            Assert.True(source.TryRead(frame));
            stamps.Add(frame.CaptureTimestamp);
            frame.Release();
        }

        // Frame k is due k / rate after frame 0 (allowing the clock's 1 ms of rounding).
        for (var k = 1; k < frames; k++)
        {
            var elapsed = Stopwatch.GetElapsedTime(stamps[0], stamps[k]);
            Assert.True(elapsed.TotalSeconds >= (k / expectedRate) - 0.001, $"frame {k} came {elapsed.TotalMilliseconds:0.0} ms after frame 0; due at {k * 1000 / expectedRate:0.0} ms");
        }
    }
}
