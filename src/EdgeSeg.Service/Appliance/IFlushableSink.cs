using EdgeSeg.Pipeline.Processing;

namespace EdgeSeg.Service.Appliance;

/// <summary>A sink whose deliveries can be awaited (the MQTT publisher: QoS 1 acknowledgements).</summary>
internal interface IFlushableSink : IFrameSink
{
    /// <summary>Waits until everything handed to the sink so far is delivered; false when <paramref name="timeout"/> passed first.</summary>
    Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
