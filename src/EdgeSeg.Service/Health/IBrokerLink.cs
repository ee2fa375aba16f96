namespace EdgeSeg.Service.Health;

/// <summary>
/// What the health checks read of the MQTT side, and nothing more: whether there is a working session, and the
/// metrics and events messages (QoS 1, the ones that must arrive) handed over, acknowledged, refused and waiting.
/// Counters only grow. Implemented by <see cref="Appliance.PublisherBrokerLink"/> over the client and its outboxes.
/// </summary>
internal interface IBrokerLink
{
    /// <summary>Whether the client has a working session with the broker: CONNACK, every SUBACK, every PINGREQ answered.</summary>
    bool Connected { get; }

    /// <summary>Why the offline queue refuses new metrics or events messages now (a full or unwritable disk), or null while it accepts them.</summary>
    string? QueueRefusal { get; }

    /// <summary>Metrics and events messages the broker acknowledged, since start.</summary>
    long Acknowledged { get; }

    /// <summary>Metrics and events messages refused (the offline queue full or unwritable), since start.</summary>
    long Refused { get; }

    /// <summary>Metrics and events messages waiting (in flight or in the offline queue) now.</summary>
    long Waiting { get; }
}
