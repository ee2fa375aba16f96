namespace EdgeSeg.Mqtt;

/// <summary>
/// One topic filter to subscribe to, with its options. Filters may use the <c>+</c> and <c>#</c> wildcards and
/// MQTT 5 shared subscriptions (<c>$share/{group}/{filter}</c>), which spread messages over a group of consumers.
/// </summary>
/// <param name="TopicFilter">The filter.</param>
/// <param name="QualityOfService">The largest QoS the broker should deliver with.</param>
public sealed record MqttSubscription(string TopicFilter, MqttQualityOfService QualityOfService = MqttQualityOfService.AtLeastOnce)
{
    /// <summary>MQTT 5: do not deliver this client's own publishes back to it.</summary>
    public bool NoLocal { get; init; }

    /// <summary>MQTT 5: keep the retain flag as published instead of clearing it on forwarded messages.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>MQTT 5: when retained messages are sent for this subscription.</summary>
    public MqttRetainHandling RetainHandling { get; init; }
}
