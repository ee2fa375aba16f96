namespace EdgeSeg.Mqtt;

/// <summary>Where an <see cref="MqttClient"/>'s session stands; see <see cref="MqttSessionStatus"/>.</summary>
public enum MqttSessionState
{
    /// <summary>No connection: not started, stopped, or waiting (backoff) after a failed or lost connection.</summary>
    Disconnected,

    /// <summary>
    /// A connection is being set up: TCP/TLS, CONNECT/CONNACK, the SUBACK of every subscription, the resends. Nothing
    /// is published yet; every phase has a timeout, and a failure in any of them ends the connection.
    /// </summary>
    Connecting,

    /// <summary>
    /// A working session: CONNACK and every SUBACK received, open for publishing, and the broker has answered every
    /// PINGREQ within the ping timeout so far (one that goes unanswered ends the connection).
    /// </summary>
    Connected,
}
