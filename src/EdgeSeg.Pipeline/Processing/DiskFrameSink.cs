using System.Globalization;
using EdgeSeg.OpenCv;
using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Processing;

/// <summary>
/// Writes every frame as <c>{folder}/{sourceId}/{index:D8}.jpg</c> (or .png): a sink for tests, demos and debugging
/// until a real publisher is plugged in. Allocates per frame (file I/O). Thread-safe.
/// </summary>
public sealed class DiskFrameSink : IFrameSink
{
    private readonly string _extension;

    /// <summary>Creates the sink; <paramref name="folder"/> is created when missing.</summary>
    public DiskFrameSink(string folder, ImageFormat format = ImageFormat.Jpeg)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = folder;
        Format = format;
        _extension = format == ImageFormat.Png ? ".png" : ".jpg";
        Directory.CreateDirectory(folder);
    }

    /// <summary>Where the frames go.</summary>
    public string Folder { get; }

    /// <summary>The image format.</summary>
    public ImageFormat Format { get; }

    /// <inheritdoc />
    public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var dir = Path.Combine(Folder, frame.SourceId);
        Directory.CreateDirectory(dir);
        CvImage.Write(Path.Combine(dir, frame.Index.ToString("D8", CultureInfo.InvariantCulture) + _extension), frame.Image);
        return ValueTask.CompletedTask;
    }
}
