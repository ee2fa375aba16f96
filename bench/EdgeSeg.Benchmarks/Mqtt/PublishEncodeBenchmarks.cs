using BenchmarkDotNet.Attributes;
using EdgeSeg.Mqtt;
using EdgeSeg.Mqtt.Packets;

namespace EdgeSeg.Benchmarks.Mqtt;

/// <summary>PUBLISH packet encode into a reused buffer: must allocate 0 B (a mask PNG with its MQTT 5 properties).</summary>
[MemoryDiagnoser]
[InProcess]
public class PublishEncodeBenchmarks
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private MqttMessage _mask = null!;
    private MqttMessage _metrics = null!;

    [GlobalSetup]
    public void Setup()
    {
        _mask = new MqttMessage("edgeseg/v1/edgebox-01/cam0/mask", new byte[30 * 1024])
        {
            ContentType = "image/png",
            PayloadFormat = MqttPayloadFormat.Bytes,
            UserProperties =
            [
                new("frame-index", "123456"), new("capture-time", "2026-11-21T17:00:00.000Z"), new("width", "480"),
                new("height", "360"), new("model", "unet-small"), new("class-list-version", "1"),
            ],
        };
        _metrics = new MqttMessage("edgeseg/v1/edgebox-01/cam0/metrics", new byte[600])
        {
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            ContentType = "application/json",
            PayloadFormat = MqttPayloadFormat.Utf8,
        };
    }

    [Benchmark]
    public int EncodeMaskPublish30KbV5() => PublishPacket.Encode(_buffer, _mask, 0, false, 0, true, MqttProtocolVersion.V500);

    [Benchmark]
    public int EncodeMetricsPublishQos1V5WithAlias() => PublishPacket.Encode(_buffer, _metrics, 42, false, 3, false, MqttProtocolVersion.V500);

    [Benchmark]
    public int EncodeMaskPublish30KbV311() => PublishPacket.Encode(_buffer, _mask, 0, false, 0, true, MqttProtocolVersion.V311);
}
