using EdgeSeg.Mqtt.Tests.Support;

namespace EdgeSeg.Mqtt.Tests.Client;

/// <summary>The conformance tests against mosquitto 2 (a child process; limits set in its config).</summary>
public sealed class MosquittoRoundTripTests : MqttClientRoundTripTests
{
    internal override BrokerFeatures Lacks => BrokerFeatures.None;

    internal override async Task<ITestBroker> StartBrokerAsync(BrokerLimits limits) => await MosquittoTestBroker.StartAsync(limits);
}
