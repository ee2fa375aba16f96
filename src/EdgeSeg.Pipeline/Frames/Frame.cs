using System.Diagnostics;
using EdgeSeg.Core.Imaging;

namespace EdgeSeg.Pipeline.Frames;

/// <summary>
/// One captured frame: pixels in a pooled, pinned buffer plus where and when it came from. Frames are rented from a
/// <see cref="FramePool"/>; the pipeline releases them after the last sink (or when a live queue drops them). Valid
/// only while rented: do not keep a reference (or to <see cref="Image"/>) after it is released.
/// </summary>
public sealed class Frame
{
    private int _rented;

    internal Frame(FramePool pool, ImageBuffer image)
    {
        Pool = pool;
        Image = image;
    }

    /// <summary>The id of the source that captured it.</summary>
    public string SourceId { get; internal set; } = string.Empty;

    /// <summary>The source's frame counter: 0, 1, 2, ... per source, never reset (not even on reconnect or loop).</summary>
    public long Index { get; internal set; }

    /// <summary>When the frame was captured, as a <see cref="Stopwatch.GetTimestamp"/> value (monotonic).</summary>
    public long CaptureTimestamp { get; internal set; }

    /// <summary>When the frame was captured, wall clock (UTC).</summary>
    public DateTime CapturedAtUtc { get; internal set; }

    /// <summary>The stream's own timestamp of the frame in milliseconds (container PTS), or null when it has none.</summary>
    public double? StreamTimestampMilliseconds { get; internal set; }

    /// <summary>The BGR pixels (pooled; the frame owns it).</summary>
    public ImageBuffer Image { get; }

    /// <summary>
    /// The inference stage's result for this frame (a mask, say), set by an <see cref="Processing.IFrameProcessor"/>.
    /// Whoever sets it owns what it points to and gets it back through the processor's <c>OnFrameReleased</c>.
    /// </summary>
    public object? Result { get; set; }

    /// <summary>The post-processing stage's result (scene metrics, say); ownership as for <see cref="Result"/>.</summary>
    public object? Metrics { get; set; }

    /// <summary>The pool the frame returns to.</summary>
    public FramePool Pool { get; }

    /// <summary>Time since capture.</summary>
    public TimeSpan Age => Stopwatch.GetElapsedTime(CaptureTimestamp);

    /// <summary>Returns the frame to its pool. The frame must not be used afterwards; releasing twice throws.</summary>
    public void Release() => Pool.Return(this);

    internal void MarkRented()
    {
        var was = Interlocked.Exchange(ref _rented, 1);
        Debug.Assert(was == 0, "a frame was rented twice");
    }

    internal bool MarkReturned() => Interlocked.Exchange(ref _rented, 0) == 1;

    internal void Clear()
    {
        Result = null;
        Metrics = null;
        StreamTimestampMilliseconds = null;
    }
}
