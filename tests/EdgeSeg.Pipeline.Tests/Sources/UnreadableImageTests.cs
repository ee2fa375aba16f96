using System.Buffers.Binary;
using EdgeSeg.OpenCv.Tests.Support;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Pipeline.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Sources;

/// <summary>
/// Images that cannot be used, in real files decoded by the real OpenCV: a corrupt image inside a folder is skipped and
/// counted and the images after it are read; an image larger than the pixel limit is refused from its header, before a
/// decoder allocates its pixels; a single oversized image as a source faults that source with the reason.
/// </summary>
public sealed class UnreadableImageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "edgeseg-unreadable-" + Guid.NewGuid().ToString("N")[..8]);

    public UnreadableImageTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("b.png", "not a PNG, JPEG or BMP image")]
    [InlineData("b.jpg", "could not be decoded")]
    public void TryRead_CorruptImageInTheMiddle_SkippedCountedAndTheFollowingImagesRead(string corrupt, string reason)
    {
        Png("a.png", 64, 48);
        File.WriteAllBytes(Path.Combine(_folder, corrupt), corrupt.EndsWith(".jpg", StringComparison.Ordinal)
            ? [0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 48, 0, 64, 1, 1, 0x11, 0, 0xFF, 0xDA, 1, 2, 3]
            : "this is not an image"u8.ToArray());
        Png("c.png", 64, 48);
        Png("d.png", 64, 48);
        using var source = new ImageFolderSource(new FrameSourceOptions { Id = "imgs", Uri = _folder });

        source.Open();
        var frames = ReadAll(source);

        Assert.Equal(3, frames);
        Assert.Equal(1, source.Skipped);
        Assert.Contains(corrupt, source.LastSkipReason, StringComparison.Ordinal);
        Assert.Contains(reason, source.LastSkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_ImageOverThePixelLimit_RefusedFromItsHeaderAndSkipped()
    {
        Png("a.png", 64, 48);
        Png("b.png", 160, 120);
        Png("c.png", 64, 48);
        using var source = new ImageFolderSource(new FrameSourceOptions { Id = "imgs", Uri = _folder, MaxPixels = 64 * 64 });

        source.Open();
        var frames = ReadAll(source);

        Assert.Equal(2, frames);
        Assert.Equal(1, source.Skipped);
        Assert.Contains("'b.png' is 160x120 is 19,200 pixels, over the limit of 4,096", source.LastSkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_HugeImageDeclaredInAFewBytes_RefusedWithoutDecoding()
    {
        // 30000x30000 in a PNG header: 2.7 GB once decoded. Only the header exists; a decoder would fail or allocate.
        var header = new byte[33];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(16), 30000);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(20), 30000);
        header[24] = 8;
        header[25] = 2;
        File.WriteAllBytes(Path.Combine(_folder, "huge.png"), header);

        Assert.True(ImageHeader.TryRead(Path.Combine(_folder, "huge.png"), out var width, out var height, out _));
        Assert.Equal((30000, 30000), (width, height));
        Assert.Contains("over the limit", new FrameSourceOptions { Id = "x", Uri = "x" }.CheckSize(width, height), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OversizedImageAsASourceBesideAGoodOne_FaultsWithTheReasonAndTheOtherDeliversAll()
    {
        Png("big.png", 160, 120);
        Png("small.png", 32, 24);
        var sink = new RecordingSink();
        var faulted = new TaskCompletionSource<SourceEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = new FramePipeline(
            [
                FrameSources.Create(new FrameSourceOptions { Id = "big", Uri = Path.Combine(_folder, "big.png"), MaxPixels = 64 * 64 }),
                FrameSources.Create(new FrameSourceOptions { Id = "good", Uri = Path.Combine(_folder, "small.png"), MaxPixels = 64 * 64 }),
            ],
            sinks: [sink]);
        pipeline.SourceEvent += (_, e) =>
        {
            if (e.SourceId == "big" && e.State == SourceState.Faulted)
            {
                faulted.TrySetResult(e);
            }
        };

        pipeline.Start();
        var fault = await faulted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await pipeline.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("160x120 is 19,200 pixels, over the limit of 4,096", fault.Reason, StringComparison.Ordinal);
        var good = pipeline.Snapshot().Sources.Single(s => s.Id == "good");
        Assert.Equal(1, good.Published);
    }

    private static int ReadAll(ImageFolderSource source)
    {
        var pool = new FramePool(source.Width, source.Height, 3, 1);
        var frame = pool.TryRent()!;
        var frames = 0;
        while (source.TryRead(frame))
        {
            frames++;
        }

        frame.Release();
        return frames;
    }

    private void Png(string name, int width, int height) =>
        Ffmpeg.Run("-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=5", "-frames:v", "1", Path.Combine(_folder, name));
}
