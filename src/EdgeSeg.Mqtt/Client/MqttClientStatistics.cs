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
    internal long IncomingDroppedField;

    /// <summary>Connections that became a working session (CONNACK and every SUBACK received; see <see cref="MqttClient.IsConnected"/>).</summary>
    public long Connects => Interlocked.Read(ref ConnectsField);

    /// <summary>Connection attempts that failed before the session worked (TCP, TLS, refused, or any timeout or loss during the set-up).</summary>
    public long ConnectFailures => Interlocked.Read(ref ConnectFailuresField);

    /// <summary>Working sessions that ended.</summary>
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

    /// <summary>QoS 0 messages dropped because too many already waited for a busy message handler.</summary>
    public long IncomingDropped => Interlocked.Read(ref IncomingDroppedField);
}
