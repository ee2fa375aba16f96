namespace EdgeSeg.Mqtt;

/// <summary>
/// Bytes on the wire broke the MQTT protocol (a malformed or unexpected packet). The connection that produced them
/// is closed; the process carries on.
/// </summary>
public sealed class MqttProtocolException : MqttException
{
    /// <summary>Creates the exception.</summary>
    public MqttProtocolException()
    {
    }

    /// <summary>Creates the exception with a message saying what was wrong.</summary>
    public MqttProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the reason code to send in DISCONNECT (MQTT 5).</summary>
    public MqttProtocolException(string message, MqttReasonCode reasonCode)
        : base(message, reasonCode)
    {
    }
}
