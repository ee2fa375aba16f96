namespace EdgeSeg.Mqtt;

/// <summary>Counters of one client since it was created. Read at any time from any thread.</summary>
public sealed class MqttClientStatistics
{
    internal long ConnectsField;
    internal long ConnectFailuresField;
    internal long DisconnectsField;
    internal long ProtocolViolationsField;
    internal long SilentConnectionsField;
    internal long PublishedField;
    internal long AcknowledgedField;
    internal long ResentField;
    internal long ReceivedField;

    /// <summary>Successful CONNECT/CONNACK exchanges.</summary>
    public long Connects => Interlocked.Read(ref ConnectsField);

    /// <summary>Connection attempts that failed (TCP, TLS, timeout or refused).</summary>
    public long ConnectFailures => Interlocked.Read(ref ConnectFailuresField);

    /// <summary>Established connections that ended.</summary>
    public long Disconnects => Interlocked.Read(ref DisconnectsField);

    /// <summary>Connections closed because the broker broke the protocol.</summary>
    public long ProtocolViolations => Interlocked.Read(ref ProtocolViolationsField);

    /// <summary>Connections replaced because a PINGREQ went unanswered.</summary>
    public long SilentConnections => Interlocked.Read(ref SilentConnectionsField);

    /// <summary>PUBLISH packets written (first sends, not resends).</summary>
    public long Published => Interlocked.Read(ref PublishedField);

    /// <summary>QoS 1/2 publishes the broker acknowledged.</summary>
    public long Acknowledged => Interlocked.Read(ref AcknowledgedField);

    /// <summary>QoS 1/2 publishes (or PUBRELs) resent after a reconnect.</summary>
    public long Resent => Interlocked.Read(ref ResentField);

    /// <summary>Application messages received.</summary>
    public long Received => Interlocked.Read(ref ReceivedField);
}
