using EdgeSeg.Mqtt.Tests.Support;

namespace EdgeSeg.Mqtt.Tests.Client;

/// <summary>
/// The conformance tests against MQTTnet.Server 5.2 in this process: a second broker implementation, written
/// independently of mosquitto. Its limits are announced through its CONNACK interceptor and measured at the broker
/// (see <see cref="MqttNetTestBroker"/>).
/// </summary>
public sealed class MqttNetServerRoundTripTests : MqttClientRoundTripTests
{
    /// <summary>MQTTnet.Server 5.2 announces SharedSubscriptionAvailable = 0 and answers a <c>$share/</c> filter with 0x9E.</summary>
    internal override BrokerFeatures Lacks => BrokerFeatures.SharedSubscriptions;

    internal override async Task<ITestBroker> StartBrokerAsync(BrokerLimits limits) => await MqttNetTestBroker.StartAsync(limits);
}
