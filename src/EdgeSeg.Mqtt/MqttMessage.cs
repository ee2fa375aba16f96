namespace EdgeSeg.Mqtt;

/// <summary>
/// An application message: topic, payload, delivery options and MQTT 5 properties. Immutable once built; the
/// payload memory is referenced, not copied, so the caller must not change it until the publish completes (for a
/// queued stream message, until it leaves the queue).
/// </summary>
public sealed class MqttMessage
{
    /// <summary>Creates a message for <paramref name="topic"/> carrying <paramref name="payload"/>.</summary>
    public MqttMessage(string topic, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Topic = topic;
        Payload = payload;
    }

    /// <summary>The topic name (no wildcards).</summary>
    public string Topic { get; }

    /// <summary>The payload bytes (referenced, not copied).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Delivery guarantee; QoS 0 unless set.</summary>
    public MqttQualityOfService QualityOfService { get; init; }

    /// <summary>Whether the broker keeps this as the topic's retained message.</summary>
    public bool Retain { get; init; }

    /// <summary>MQTT 5 content type (a MIME type such as <c>image/png</c>); ignored by 3.1.1.</summary>
    public string? ContentType { get; init; }

    /// <summary>MQTT 5 message expiry interval in seconds; null means the message never expires.</summary>
    public uint? MessageExpiryInterval { get; init; }

    /// <summary>MQTT 5 payload format indicator; null leaves it out.</summary>
    public MqttPayloadFormat? PayloadFormat { get; init; }

    /// <summary>MQTT 5 response topic for request/response.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>MQTT 5 correlation data for request/response.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>MQTT 5 user properties, in wire order; null or empty for none.</summary>
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }

    /// <summary>On a received message: the identifiers of the subscriptions it matched (MQTT 5). Ignored when sending.</summary>
    public IReadOnlyList<uint>? SubscriptionIdentifiers { get; init; }

    /// <summary>The value of the first user property called <paramref name="name"/>, or null.</summary>
    public string? GetUserProperty(string name)
    {
        if (UserProperties is { } props)
        {
            for (var i = 0; i < props.Count; i++)
            {
                if (string.Equals(props[i].Name, name, StringComparison.Ordinal))
                {
                    return props[i].Value;
                }
            }
        }

        return null;
    }
}
