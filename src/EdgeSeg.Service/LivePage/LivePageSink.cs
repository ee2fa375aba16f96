using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Appliance;

namespace EdgeSeg.Service.LivePage;

/// <summary>
/// Keeps the live page's per-source figures current: after the MQTT sink, copies each frame's scene figures, its
/// capture-to-publish time so far and its event messages into <see cref="LiveState"/>. Renders and encodes nothing
/// (the overlay is rendered only when a page asks for it, see <see cref="Health.SnapshotStore"/>) and allocates
/// nothing. Called by one pipeline task at a time.
/// </summary>
internal sealed class LivePageSink(LiveState state) : IFrameSink
{
    /// <inheritdoc />
    public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Metrics is SceneResult scene && state.Find(frame.SourceId) is { } source)
        {
            source.Update(scene.Figures, frame.Age.TotalSeconds, scene.Events);
        }

        return ValueTask.CompletedTask;
    }
}
