using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Tests.Support;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Tests.Sources;

namespace EdgeSeg.Pipeline.Tests.Processing;

public sealed class DiskFrameSinkTests(SourceClips clips) : IClassFixture<SourceClips>
{
    [Fact]
    public async Task Publish_FileThroughPipeline_WritesOnePngPerFrameWithFramePixels()
    {
        using var temp = new TempFolder();
        var sink = new DiskFrameSink(temp.Path, ImageFormat.Png);
        await using (var pipeline = new FramePipeline([FrameSources.Create(new FrameSourceOptions { Id = "cam", Uri = clips.MjpegOdd })], sinks: [sink]))
        {
            pipeline.Start();
            await pipeline.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        }

        var files = Directory.GetFiles(Path.Combine(temp.Path, "cam")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(SourceClips.Frames, files.Length);
        Assert.Equal("00000000.png", Path.GetFileName(files[0]));
        var expected = Ffmpeg.DecodeBgr(clips.MjpegOdd, 641, 359);
        var last = CvImage.Read(files[^1]);
        Assert.True(expected[^1].AsSpan().SequenceEqual(last.Pixels));
    }
}
