using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Processing;

/// <summary>
/// The publishing stage (the MQTT publisher plugs in here): gets every frame that made it through, in capture order
/// per source. The frame is valid only during the call: copy what must outlive it.
/// </summary>
public interface IFrameSink
{
    /// <summary>Publishes <paramref name="frame"/>.</summary>
    ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken);
}
