namespace EdgeSeg.Mqtt;

/// <summary>
/// A snapshot of an <see cref="MqttClient"/>'s session, for health checks and metrics (<see cref="MqttClient.Session"/>).
/// Immutable; read it again for a newer one.
/// </summary>
public sealed record MqttSessionStatus
{
    /// <summary>Where the session stands. <see cref="MqttSessionState.Connected"/> means a working session, nothing less.</summary>
    public required MqttSessionState State { get; init; }

    /// <summary>When <see cref="State"/> last changed (UTC).</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>The endpoint of the current connection, or of the last one tried; null before the first attempt.</summary>
    public MqttEndpoint? Endpoint { get; init; }

    /// <summary>
    /// Why the last connection or connection attempt ended ("no SUBACK within 10 s", "the broker closed the
    /// connection" ...); kept while the client reconnects, null before any failure.
    /// </summary>
    public string? LastError { get; init; }

    /// <summary>
    /// When the broker last answered a request of ours (CONNACK, SUBACK/UNSUBACK, PINGRESP) (UTC); null before the
    /// first answer. In a working session this is never older than about half a keep-alive plus one round trip.
    /// </summary>
    public DateTimeOffset? LastRoundTrip { get; init; }

    /// <summary>How long that answer took, from our request to the broker's answer.</summary>
    public TimeSpan? RoundTripTime { get; init; }
}
