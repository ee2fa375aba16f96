using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;

namespace EdgeSeg.Service.Trips;

/// <summary>
/// The sink <c>edgeseg process</c> puts where the service has its MQTT sink: each frame goes to its trip's
/// <see cref="TripRecorder"/> (by source id, which is the trip's id). Writing waits (back-pressure up the pipeline),
/// so no frame is ever skipped. Called by one pipeline task at a time.
/// </summary>
internal sealed class TripSink(IReadOnlyDictionary<string, TripRecorder> recorders) : IFrameSink
{
    /// <inheritdoc />
    public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        recorders[frame.SourceId].Record(frame);
        return ValueTask.CompletedTask;
    }
}
