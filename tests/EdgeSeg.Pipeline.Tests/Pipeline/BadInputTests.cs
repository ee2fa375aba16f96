using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Pipeline.Tests.Sources;
using EdgeSeg.Pipeline.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Pipeline;

public sealed class BadInputTests(SourceClips clips) : IClassFixture<SourceClips>
{
    public static TheoryData<string, string> BadFiles => new()
    {
        { "missing", "does not exist" },
        { "text", "not a readable video file" },
        { "truncated", "not a readable video file" },
        { "camera", "does not exist" },
        { "folder", "matches no image files" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Run_BadSourceBesideGoodOne_BadFaultsNamingItselfGoodDeliversAll(string kind, string expectedProblem)
    {
        var uri = kind switch
        {
            "missing" => Path.Combine(clips.Folder, "no-such-clip.mp4"),
            "text" => WriteText(),
            "truncated" => Truncate(),
            "camera" => "/dev/video97",
            _ => Path.Combine(clips.Folder, "*.webp"),
        };
        var sink = new RecordingSink();
        await using var pipeline = new FramePipeline(
            [
                FrameSources.Create(new FrameSourceOptions { Id = "bad-" + kind, Uri = uri }),
                FrameSources.Create(new FrameSourceOptions { Id = "good", Uri = clips.H264 }),
            ],
            sinks: [sink]);

        if (kind == "camera")
        {
            // A camera is live: it is retried forever rather than faulted, and says why each time.
            var firstFailure = new TaskCompletionSource<SourceEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            pipeline.SourceEvent += (_, e) =>
            {
                if (e.SourceId == "bad-camera" && e.State == SourceState.Reconnecting)
                {
                    firstFailure.TrySetResult(e);
                }
            };
            pipeline.Start();
            var failure = await firstFailure.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains("bad-camera", failure.Reason);
            Assert.Contains("/dev/video97", failure.Reason);
            Assert.Contains(expectedProblem, failure.Reason);
            await sink.WaitForAsync(SourceClips.Frames, TimeSpan.FromSeconds(30));
            await pipeline.StopAsync();
        }
        else
        {
            pipeline.Start();
            await pipeline.Completion.WaitAsync(TimeSpan.FromSeconds(30));
            var bad = pipeline.Snapshot().Sources.Single(s => s.Id == "bad-" + kind);
            Assert.Equal(SourceState.Faulted, bad.State);
            Assert.Contains("bad-" + kind, bad.LastError);
            Assert.Contains(uri, bad.LastError);
            Assert.Contains(expectedProblem, bad.LastError);
        }

        var good = pipeline.Snapshot().Sources.Single(s => s.Id == "good");
        Assert.Equal(SourceClips.Frames, good.Published);
    }

    [Theory]
    [InlineData("gopher://example/video")]
    [InlineData("ftp://host/clip.mp4")]
    public void Create_UnknownScheme_ThrowsNamingSourceAndScheme(string uri)
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSources.Create(new FrameSourceOptions { Id = "odd", Uri = uri }));

        Assert.Equal("odd", e.SourceId);
        Assert.Contains("odd", e.Message);
        Assert.Contains(uri.Split(':')[0] + "://", e.Message);
        Assert.Contains("rtsp://", e.Message);
    }

    [Theory]
    [InlineData("rtsp://127.0.0.1:554/x", typeof(StreamSource))]
    [InlineData("HTTP://127.0.0.1/x.ts", typeof(StreamSource))]
    [InlineData("/dev/video0", typeof(CameraSource))]
    [InlineData("v4l2:///dev/video2", typeof(CameraSource))]
    [InlineData("clips/a.mp4", typeof(VideoFileSource))]
    [InlineData("frames/*.png", typeof(ImageFolderSource))]
    public void Create_Uri_PicksSourceKind(string uri, Type expected)
    {
        using var source = FrameSources.Create(new FrameSourceOptions { Id = "x", Uri = uri });

        Assert.IsType(expected, source);
    }

    private string WriteText()
    {
        var path = Path.Combine(clips.Folder, "notes.mp4");
        File.WriteAllText(path, "this is a shopping list, not a video");
        return path;
    }

    private string Truncate()
    {
        // The first 4 KiB of an MP4 whose moov atom comes last: the header is there, the index and frames are not.
        var path = Path.Combine(clips.Folder, "truncated.mp4");
        var bytes = File.ReadAllBytes(clips.H264);
        File.WriteAllBytes(path, bytes[..4096]);
        return path;
    }
}
