using EdgeSeg.Pipeline.Diagnostics;

namespace EdgeSeg.Pipeline.Capture;

/// <summary>The capture and publish rate meters of one source.</summary>
internal sealed class CaptureCounters
{
    public RateMeter Capture { get; } = new();

    public RateMeter Publish { get; } = new();
}
