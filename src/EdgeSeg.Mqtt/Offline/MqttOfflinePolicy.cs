namespace EdgeSeg.Mqtt;

/// <summary>What an outbound stream does with messages while the broker is away (and while it is slow).</summary>
public enum MqttOfflinePolicy
{
    /// <summary>Keep only the newest message per topic (masks, overlays): a replaced message counts as dropped.</summary>
    LatestPerTopic = 0,

    /// <summary>
    /// Append every message to a bounded on-disk queue and deliver it in order once the broker acknowledges it
    /// (metrics, events). The queue survives a restart. When it is full, new messages are refused and counted as dropped,
    /// so what is queued stays a gap-free run from the start of the outage.
    /// </summary>
    DiskQueue = 1,
}
