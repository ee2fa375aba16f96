namespace EdgeSeg.Mqtt;

/// <summary>An MQTT operation failed: refused by the broker, or the connection could not carry it.</summary>
public class MqttException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MqttException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MqttException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MqttException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the broker's reason code.</summary>
    public MqttException(string message, MqttReasonCode reasonCode)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The reason code the broker gave, when it gave one.</summary>
    public MqttReasonCode? ReasonCode { get; }
}
