using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EdgeSeg.Mqtt;
using MQTTnet.Protocol;
// MQTTnet's MqttClient and MqttClientOptions would clash with ours: its types are named through aliases.
using MqttNetClient = MQTTnet.IMqttClient;
using MqttNetFactory = MQTTnet.MqttClientFactory;
using MqttNetMessage = MQTTnet.MqttApplicationMessage;
using MqttNetVersion = MQTTnet.Formatter.MqttProtocolVersion;

namespace EdgeSeg.Benchmarks.Mqtt;

/// <summary>
/// Our client against MQTTnet 5.2 (the baseline) in the same run, publishing 30 KB payloads over MQTT 5 to one loopback
/// mosquitto: QoS 0; QoS 1 awaited one at a time; QoS 1 with a window of <see cref="Window"/> publishes in flight (the
/// case of a service flushing its offline queue). Each operation is one publish (<see cref="Messages"/> per
/// invocation): messages per second = 1 s / mean, and "Allocated" is bytes per publish. The Ratio column compares each
/// category with MQTTnet.
/// </summary>
/// <remarks>
/// MQTTnet runs with <c>WithoutPacketFragmentation()</c>: with its defaults QoS 1 publishes in flight together stalled
/// at a few hundred per second and dropped the connection on a keep-alive timeout (docs/PERFORMANCE.md).
/// </remarks>
[Config(typeof(MqttBenchConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClientComparisonBenchmarks
{
    public const int Messages = 4_000;
    public const int Window = 100;
    private const int PayloadBytes = 30 * 1024;

    private BenchBroker _broker = null!;
    private MqttClient _ours = null!;
    private MqttNetClient _theirs = null!;
    private MqttMessage _oursQos0 = null!;
    private MqttMessage _oursQos1 = null!;
    private MqttNetMessage _theirsQos0 = null!;
    private MqttNetMessage _theirsQos1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        // max_inflight_messages 0: no receive maximum towards the clients, so the window is the clients' own.
        _broker = BenchBroker.Start("max_inflight_messages 0");
        var payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(payload);

        _ours = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint("127.0.0.1", _broker.Port)],
            ClientId = "bench-ours",
        });
        _ours.StartAsync().GetAwaiter().GetResult();
        _ours.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        _oursQos0 = new MqttMessage("bench/mask", payload) { QualityOfService = MqttQualityOfService.AtMostOnce };
        _oursQos1 = new MqttMessage("bench/mask", payload) { QualityOfService = MqttQualityOfService.AtLeastOnce };

        var factory = new MqttNetFactory();
        _theirs = factory.CreateMqttClient();
        _theirs.ConnectAsync(factory.CreateClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker.Port)
            .WithProtocolVersion(MqttNetVersion.V500)
            .WithClientId("bench-mqttnet")
            .WithoutPacketFragmentation()
            .Build()).GetAwaiter().GetResult();
        _theirsQos0 = factory.CreateApplicationMessageBuilder().WithTopic("bench/mask").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build();
        _theirsQos1 = factory.CreateApplicationMessageBuilder().WithTopic("bench/mask").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _theirs.DisconnectAsync(new MqttNetFactory().CreateClientDisconnectOptionsBuilder().Build()).GetAwaiter().GetResult();
        _theirs.Dispose();
        _broker.Dispose();
    }

    [BenchmarkCategory("QoS 0"), Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "MQTTnet 5.2")]
    public async Task MqttNetQos0()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _theirs.PublishAsync(_theirsQos0);
        }

        // A QoS 1 fence: the broker acknowledges it after it has taken everything before it.
        await _theirs.PublishAsync(_theirsQos1);
    }

    [BenchmarkCategory("QoS 0"), Benchmark(OperationsPerInvoke = Messages, Description = "EdgeSeg.Mqtt")]
    public async Task OursQos0()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _ours.PublishAsync(_oursQos0);
        }

        await _ours.PublishAsync(_oursQos1);
    }

    [BenchmarkCategory("QoS 1 awaited"), Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "MQTTnet 5.2")]
    public async Task MqttNetQos1Awaited()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _theirs.PublishAsync(_theirsQos1);
        }
    }

    [BenchmarkCategory("QoS 1 awaited"), Benchmark(OperationsPerInvoke = Messages, Description = "EdgeSeg.Mqtt")]
    public async Task OursQos1Awaited()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _ours.PublishAsync(_oursQos1);
        }
    }

    [BenchmarkCategory("QoS 1 window 100"), Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "MQTTnet 5.2")]
    public async Task MqttNetQos1Window()
    {
        var window = new Queue<Task>(Window);
        for (var i = 0; i < Messages; i++)
        {
            if (window.Count == Window)
            {
                await window.Dequeue();
            }

            window.Enqueue(_theirs.PublishAsync(_theirsQos1));
        }

        await Task.WhenAll(window);
    }

    [BenchmarkCategory("QoS 1 window 100"), Benchmark(OperationsPerInvoke = Messages, Description = "EdgeSeg.Mqtt")]
    public async Task OursQos1Window()
    {
        var window = new Queue<Task>(Window);
        for (var i = 0; i < Messages; i++)
        {
            if (window.Count == Window)
            {
                await window.Dequeue();
            }

            // SendPublishAsync returns once the publish is written; its task completes on the PUBACK.
            window.Enqueue(await _ours.SendPublishAsync(_oursQos1));
        }

        await Task.WhenAll(window);
    }
}
