using System.Diagnostics;
using EdgeSeg.Core.Timing;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>The common part of the sources read through an OpenCV <see cref="VideoCapture"/>: files, streams, cameras.</summary>
public abstract class CaptureSourceBase : IFrameSource
{
    private VideoCapture? _capture;
    private long _nextIndex;

    /// <summary>Creates the source from its options.</summary>
    protected CaptureSourceBase(FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Uri);
        Options = options;
    }

    /// <inheritdoc />
    public string Id => Options.Id;

    /// <inheritdoc />
    public string Uri => Options.Uri;

    /// <inheritdoc />
    public abstract FrameSourceKind Kind { get; }

    /// <inheritdoc />
    public abstract bool IsLive { get; }

    /// <inheritdoc />
    public bool IsOpen => _capture is not null;

    /// <inheritdoc />
    public int Width { get; private set; }

    /// <inheritdoc />
    public int Height { get; private set; }

    /// <inheritdoc />
    public double Fps { get; private set; }

    /// <summary>The options it was created with.</summary>
    protected FrameSourceOptions Options { get; }

    /// <summary>The open capture (null when closed).</summary>
    protected VideoCapture? Capture => _capture;

    /// <inheritdoc />
    public void Open()
    {
        Close();
        var target = CheckBeforeOpen();
        try
        {
            _capture = VideoCapture.Open(target, CaptureOptions());
        }
        catch (OpenCvException e)
        {
            throw new FrameSourceException(Id, Uri, DescribeOpenFailure(e), e);
        }
        catch (DllNotFoundException e)
        {
            throw new FrameSourceException(Id, Uri, e.Message, e);
        }

        Width = _capture.Width;
        Height = _capture.Height;
        // A container may claim any rate (1e-300 fps in a crafted file); outside the range it counts as unknown.
        Fps = FrameRate.IsValid(_capture.Fps) ? _capture.Fps : 0;
        if (Width <= 0 || Height <= 0)
        {
            Close();
            throw new FrameSourceException(Id, Uri, "opened, but it reports no video size (no video stream in it?)");
        }

        if (Options.CheckSize(Width, Height) is { } tooLarge)
        {
            // Before any frame buffer of that size is allocated.
            Close();
            throw new FrameSourceException(Id, Uri, tooLarge);
        }

        OnOpened();
    }

    /// <inheritdoc />
    public bool TryRead(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        while (true)
        {
            // Re-read each pass: a looping file reopens (a new capture) in RestartAtEnd.
            var capture = _capture ?? throw new InvalidOperationException($"Source '{Id}' is not open.");
            bool got;
            double streamMs;
            try
            {
                got = capture.Read(frame.Image, out streamMs);
            }
            catch (OpenCvException e)
            {
                throw new FrameSourceException(Id, Uri, $"read failed: {e.NativeMessage}", e);
            }

            if (got)
            {
                Stamp(frame, streamMs);
                return true;
            }

            if (!RestartAtEnd())
            {
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Close()
    {
        _capture?.Dispose();
        _capture = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} '{Id}' ({Uri})";

    /// <summary>Validates what can be validated before the open and returns what to pass to OpenCV.</summary>
    protected abstract string CheckBeforeOpen();

    /// <summary>The capture options for this kind of source.</summary>
    protected abstract VideoCaptureOptions CaptureOptions();

    /// <summary>Explains an open failure (the shim's message names the URI; add what is likely wrong).</summary>
    protected virtual string DescribeOpenFailure(OpenCvException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.NativeMessage;
    }

    /// <summary>Called after each successful open.</summary>
    protected virtual void OnOpened()
    {
    }

    /// <summary>Called at the end of the input: reopen or rewind and return true to go on (a looping file), false to end.</summary>
    protected virtual bool RestartAtEnd() => false;

    /// <summary>Called before each frame is stamped (a paced file sleeps here until the frame is due).</summary>
    protected virtual void BeforeStamp(double streamMilliseconds)
    {
    }

    private void Stamp(Frame frame, double streamMs)
    {
        BeforeStamp(streamMs);
        frame.SourceId = Id;
        frame.Index = _nextIndex++;
        frame.CaptureTimestamp = Stopwatch.GetTimestamp();
        frame.CapturedAtUtc = DateTime.UtcNow;
        frame.StreamTimestampMilliseconds = streamMs >= 0 ? streamMs : null;
    }
}
