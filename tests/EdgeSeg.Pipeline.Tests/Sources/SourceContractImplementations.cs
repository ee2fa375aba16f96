using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Sources;

public sealed class VideoFileSourceContractTests(SourceClips clips) : FrameSourceContractTests, IClassFixture<SourceClips>
{
    protected override int? FrameCount => SourceClips.Frames;

    protected override FrameSourceKind ExpectedKind => FrameSourceKind.File;

    protected override IFrameSource CreateSource(string id) => FrameSources.Create(new FrameSourceOptions { Id = id, Uri = clips.H264 });
}

public sealed class MjpegFileSourceContractTests(SourceClips clips) : FrameSourceContractTests, IClassFixture<SourceClips>
{
    protected override int? FrameCount => SourceClips.Frames;

    protected override FrameSourceKind ExpectedKind => FrameSourceKind.File;

    protected override IFrameSource CreateSource(string id) => FrameSources.Create(new FrameSourceOptions { Id = id, Uri = "file://" + clips.MjpegOdd });
}

public sealed class ImageFolderSourceContractTests(SourceClips clips) : FrameSourceContractTests, IClassFixture<SourceClips>
{
    protected override int? FrameCount => 6;

    protected override FrameSourceKind ExpectedKind => FrameSourceKind.ImageFolder;

    protected override IFrameSource CreateSource(string id) => FrameSources.Create(new FrameSourceOptions { Id = id, Uri = Path.Combine(clips.ImageFolder, "img_*.png") });
}

public sealed class StreamSourceContractTests : FrameSourceContractTests, IClassFixture<SourceClips>, IDisposable
{
    private readonly HttpTsServer _server;

    public StreamSourceContractTests(SourceClips clips)
    {
        // -listen 1 serves one client and exits; the test with two opens gets one server per open via Reopen below.
        _clips = clips;
        _server = new HttpTsServer(clips.LiveClip, Net.FreePort());
    }

    private readonly SourceClips _clips;
    private HttpTsServer? _second;

    protected override int? FrameCount => null;

    protected override FrameSourceKind ExpectedKind => FrameSourceKind.Stream;

    protected override IFrameSource CreateSource(string id) => new ReopeningStream(
        new StreamSource(new FrameSourceOptions { Id = id, Uri = _server.Url, OpenTimeout = TimeSpan.FromSeconds(10), ReadTimeout = TimeSpan.FromSeconds(10) }),
        () => _second ??= new HttpTsServer(_clips.LiveClip, _server.Port),
        _server.Kill);

    public void Dispose()
    {
        _server.Dispose();
        _second?.Dispose();
    }

    /// <summary>Restarts the single-client ffmpeg server between a close and the next open.</summary>
    private sealed class ReopeningStream(StreamSource inner, Func<HttpTsServer> restart, Action killFirst) : IFrameSource
    {
        private int _opens;

        public string Id => inner.Id;

        public string Uri => inner.Uri;

        public FrameSourceKind Kind => inner.Kind;

        public bool IsLive => inner.IsLive;

        public bool IsOpen => inner.IsOpen;

        public int Width => inner.Width;

        public int Height => inner.Height;

        public double Fps => inner.Fps;

        public void Open()
        {
            if (_opens++ > 0)
            {
                killFirst();
                restart();
            }

            // ffmpeg needs a moment to bind after start; the source's open retries are the pipeline's job, so retry here.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    inner.Open();
                    return;
                }
                catch (FrameSourceException) when (attempt < 20)
                {
                    Thread.Sleep(100);
                }
            }
        }

        public bool TryRead(EdgeSeg.Pipeline.Frames.Frame frame) => inner.TryRead(frame);

        public void Close() => inner.Close();

        public void Dispose() => inner.Dispose();
    }
}
