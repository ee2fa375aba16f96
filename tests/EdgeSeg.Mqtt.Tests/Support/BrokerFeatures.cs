namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>Protocol features a test broker may lack; the conformance tests check such a broker refuses them.</summary>
[Flags]
internal enum BrokerFeatures
{
    /// <summary>Lacks nothing the tests use.</summary>
    None = 0,

    /// <summary>MQTT 5 shared subscriptions (<c>$share/{group}/{filter}</c>).</summary>
    SharedSubscriptions = 1,
}
