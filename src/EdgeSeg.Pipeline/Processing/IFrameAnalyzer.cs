using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Processing;

/// <summary>
/// The post-processing and metrics stage (scene metrics plug in here): one frame at a time, after inference, in
/// capture order per source. Allocation guidance as for <see cref="IFrameProcessor"/>.
/// </summary>
public interface IFrameAnalyzer
{
    /// <summary>Analyses <paramref name="frame"/> (typically reading <see cref="Frame.Result"/> and setting <see cref="Frame.Metrics"/>).</summary>
    ValueTask AnalyzeAsync(Frame frame, CancellationToken cancellationToken);

    /// <summary>The frame is about to return to its pool: take back what was attached to it.</summary>
    void OnFrameReleased(Frame frame)
    {
    }
}
