namespace EdgeSeg.Mqtt;

/// <summary>MQTT 5 reason codes (section 2.4 of the specification). MQTT 3.1.1 return codes are mapped onto these.</summary>
#pragma warning disable CA1028 // The wire value is one byte.
public enum MqttReasonCode : byte
#pragma warning restore CA1028
{
    /// <summary>Success, normal disconnection, or granted QoS 0.</summary>
    Success = 0x00,

    /// <summary>Granted QoS 1 (SUBACK).</summary>
    GrantedQoS1 = 0x01,

    /// <summary>Granted QoS 2 (SUBACK).</summary>
    GrantedQoS2 = 0x02,

    /// <summary>Disconnect and have the broker publish the will message.</summary>
    DisconnectWithWillMessage = 0x04,

    /// <summary>The message was accepted but nobody subscribes to it.</summary>
    NoMatchingSubscribers = 0x10,

    /// <summary>UNSUBACK: there was no such subscription.</summary>
    NoSubscriptionExisted = 0x11,

    /// <summary>Continue the enhanced authentication exchange.</summary>
    ContinueAuthentication = 0x18,

    /// <summary>Start a re-authentication.</summary>
    ReAuthenticate = 0x19,

    /// <summary>Unspecified error.</summary>
    UnspecifiedError = 0x80,

    /// <summary>A packet could not be parsed.</summary>
    MalformedPacket = 0x81,

    /// <summary>A packet broke the protocol.</summary>
    ProtocolError = 0x82,

    /// <summary>Valid but refused by this implementation.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>The server does not speak the requested protocol version.</summary>
    UnsupportedProtocolVersion = 0x84,

    /// <summary>The client identifier is not valid.</summary>
    ClientIdentifierNotValid = 0x85,

    /// <summary>Bad user name or password.</summary>
    BadUserNameOrPassword = 0x86,

    /// <summary>Not authorized.</summary>
    NotAuthorized = 0x87,

    /// <summary>Server unavailable.</summary>
    ServerUnavailable = 0x88,

    /// <summary>Server busy.</summary>
    ServerBusy = 0x89,

    /// <summary>Banned.</summary>
    Banned = 0x8A,

    /// <summary>The server is shutting down.</summary>
    ServerShuttingDown = 0x8B,

    /// <summary>Bad authentication method.</summary>
    BadAuthenticationMethod = 0x8C,

    /// <summary>Keep-alive timeout.</summary>
    KeepAliveTimeout = 0x8D,

    /// <summary>Another connection took over the session.</summary>
    SessionTakenOver = 0x8E,

    /// <summary>The topic filter is not valid.</summary>
    TopicFilterInvalid = 0x8F,

    /// <summary>The topic name is not valid.</summary>
    TopicNameInvalid = 0x90,

    /// <summary>The packet identifier is in use.</summary>
    PacketIdentifierInUse = 0x91,

    /// <summary>The packet identifier is not known.</summary>
    PacketIdentifierNotFound = 0x92,

    /// <summary>Receive maximum exceeded.</summary>
    ReceiveMaximumExceeded = 0x93,

    /// <summary>Topic alias invalid.</summary>
    TopicAliasInvalid = 0x94,

    /// <summary>Packet too large.</summary>
    PacketTooLarge = 0x95,

    /// <summary>Message rate too high.</summary>
    MessageRateTooHigh = 0x96,

    /// <summary>Quota exceeded.</summary>
    QuotaExceeded = 0x97,

    /// <summary>Administrative action.</summary>
    AdministrativeAction = 0x98,

    /// <summary>Payload format invalid.</summary>
    PayloadFormatInvalid = 0x99,

    /// <summary>Retain not supported.</summary>
    RetainNotSupported = 0x9A,

    /// <summary>QoS not supported.</summary>
    QoSNotSupported = 0x9B,

    /// <summary>Use another server.</summary>
    UseAnotherServer = 0x9C,

    /// <summary>Server moved.</summary>
    ServerMoved = 0x9D,

    /// <summary>Shared subscriptions not supported.</summary>
    SharedSubscriptionsNotSupported = 0x9E,

    /// <summary>Connection rate exceeded.</summary>
    ConnectionRateExceeded = 0x9F,

    /// <summary>Maximum connect time.</summary>
    MaximumConnectTime = 0xA0,

    /// <summary>Subscription identifiers not supported.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,

    /// <summary>Wildcard subscriptions not supported.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}
