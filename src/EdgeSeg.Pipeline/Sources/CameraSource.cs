using System.Globalization;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>A V4L2 camera (<c>/dev/videoN</c>) with a requested size, frame rate and pixel format. Live.</summary>
public sealed class CameraSource : CaptureSourceBase
{
    /// <summary>Creates the source; <see cref="FrameSourceOptions.Uri"/> is <c>/dev/videoN</c> or <c>v4l2:///dev/videoN</c>.</summary>
    public CameraSource(FrameSourceOptions options)
        : base(options)
    {
        Device = options.Uri.StartsWith("v4l2://", StringComparison.OrdinalIgnoreCase) ? options.Uri["v4l2://".Length..] : options.Uri;
    }

    /// <summary>The device path.</summary>
    public string Device { get; }

    /// <inheritdoc />
    public override FrameSourceKind Kind => FrameSourceKind.Camera;

    /// <inheritdoc />
    public override bool IsLive => true;

    /// <inheritdoc />
    protected override string CheckBeforeOpen()
    {
        if (!File.Exists(Device))
        {
            throw new FrameSourceException(Id, Uri, $"the camera device {Device} does not exist (is it plugged in? `ls /dev/video*` lists the cameras)");
        }

        return Device;
    }

    /// <inheritdoc />
    protected override VideoCaptureOptions CaptureOptions() => new()
    {
        Backend = CaptureBackend.V4L2,
        Width = Options.Width,
        Height = Options.Height,
        Fps = Options.Fps,
        PixelFormat = Options.PixelFormat,
    };

    /// <inheritdoc />
    protected override string DescribeOpenFailure(OpenCvException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return string.Create(CultureInfo.InvariantCulture, $"the camera {Device} could not be opened (busy, no permission, or not a capture device): {exception.NativeMessage}");
    }
}
