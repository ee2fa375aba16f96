using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using EdgeSeg.Mqtt;

namespace EdgeSeg.Benchmarks.Mqtt;

/// <summary>
/// Publishing to a loopback mosquitto in the same run: our client against <c>mosquitto_pub -l</c> (one message
/// per stdin line) for QoS 0 30 KB payloads, and QoS 1 with thousands of publishes in flight. One operation is
/// <see cref="Messages"/> messages; messages per second = Messages / mean time.
/// </summary>
[Config(typeof(MqttBenchConfig))]
public class BrokerThroughputBenchmarks
{
    public const int Messages = 2_000;
    private const int PayloadBytes = 30 * 1024;

    private BenchBroker _broker = null!;
    private MqttClient _client = null!;
    private MqttClient _client311 = null!;
    private MqttMessage _payload30K = null!;
    private byte[] _lines = null!;

    /// <summary>The most QoS 1 publishes seen unacknowledged at once in the last QoS 1 operation.</summary>
    public static int MaxInFlightSeen { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        // max_inflight_messages 0: no receive maximum towards clients, so QoS 1 is limited by our window alone.
        _broker = BenchBroker.Start("max_inflight_messages 0");
        _client = Start(MqttProtocolVersion.V500);
        _client311 = Start(MqttProtocolVersion.V311);
        _payload30K = new MqttMessage("bench/mask", CreateLine()) { QualityOfService = MqttQualityOfService.AtMostOnce };
        var line = CreateLine();
        _lines = new byte[(line.Length + 1) * Messages];
        for (var i = 0; i < Messages; i++)
        {
            line.CopyTo(_lines, i * (line.Length + 1));
            _lines[((i + 1) * (line.Length + 1)) - 1] = (byte)'\n';
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client311.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _broker.Dispose();
    }

    [Benchmark(Baseline = true, Description = "mosquitto_pub -l, QoS 0, 30 KB x 2000")]
    public void MosquittoPubQos0()
    {
        using var process = Process.Start(new ProcessStartInfo("mosquitto_pub", ["-h", "127.0.0.1", "-p", _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "bench/mask", "-q", "0", "-l"])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        })!;
        process.StandardInput.BaseStream.Write(_lines);
        process.StandardInput.Close();
        process.WaitForExit();
    }

    [Benchmark(Description = "EdgeSeg.Mqtt 5.0, QoS 0, 30 KB x 2000")]
    public async Task OursQos0V5()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _client.PublishAsync(_payload30K);
        }

        // A QoS 1 fence: the broker acknowledges it after it has taken everything before it.
        await _client.PublishAsync(new MqttMessage("bench/fence", new byte[1]) { QualityOfService = MqttQualityOfService.AtLeastOnce });
    }

    [Benchmark(Description = "EdgeSeg.Mqtt 3.1.1, QoS 0, 30 KB x 2000")]
    public async Task OursQos0V311()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _client311.PublishAsync(_payload30K);
        }

        await _client311.PublishAsync(new MqttMessage("bench/fence", new byte[1]) { QualityOfService = MqttQualityOfService.AtLeastOnce });
    }

    [Benchmark(Description = "EdgeSeg.Mqtt 5.0, QoS 1, 1 KB x 2000, all in flight")]
    public async Task OursQos1Pipelined()
    {
        var acks = new Task[Messages];
        var message = new MqttMessage("bench/metrics", new byte[1024]) { QualityOfService = MqttQualityOfService.AtLeastOnce };
        var max = 0;
        for (var i = 0; i < Messages; i++)
        {
            acks[i] = await _client.SendPublishAsync(message);
            max = Math.Max(max, _client.InFlightCount);
        }

        await Task.WhenAll(acks);
        MaxInFlightSeen = max;
        Console.WriteLine($"// QoS 1 max in flight: {max}");
    }

    private static byte[] CreateLine()
    {
        // Printable bytes without newlines, so mosquitto_pub -l sends exactly the same 30 KB payloads.
        var line = new byte[PayloadBytes];
        for (var i = 0; i < line.Length; i++)
        {
            line[i] = (byte)('a' + (i % 26));
        }

        return line;
    }

    private MqttClient Start(MqttProtocolVersion version)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint("127.0.0.1", _broker.Port)],
            ProtocolVersion = version,
            ClientId = "bench-" + version,
            UseTopicAliases = true,
        });
        client.StartAsync().GetAwaiter().GetResult();
        client.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        return client;
    }
}
