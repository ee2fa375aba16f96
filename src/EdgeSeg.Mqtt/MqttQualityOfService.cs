namespace EdgeSeg.Mqtt;

/// <summary>MQTT delivery guarantee of one message.</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: sent once, never acknowledged.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: acknowledged with PUBACK and resent (DUP) until it is.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: the PUBREC/PUBREL/PUBCOMP exchange.</summary>
    ExactlyOnce = 2,
}
