using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>mosquitto as a <see cref="ITestBroker"/>: the limits go into its config, PINGREQs are read from its debug log.</summary>
internal sealed class MosquittoTestBroker : ITestBroker
{
    private readonly MosquittoBroker _broker;

    private MosquittoTestBroker(MosquittoBroker broker) => _broker = broker;

    public string Host => _broker.Host;

    public int Port => _broker.Port;

    /// <summary>mosquitto's in-flight count is not visible from outside.</summary>
    public int? MaxInFlightSeen => null;

    public static async Task<MosquittoTestBroker> StartAsync(BrokerLimits limits)
    {
        var config = new List<string> { "log_type debug" };
        if (limits.ReceiveMaximum is { } receive)
        {
            config.Add($"max_inflight_messages {receive}");
        }

        if (limits.MaximumPacketSize is { } size)
        {
            config.Add($"max_packet_size {size}");
        }

        if (limits.TopicAliasMaximum is { } aliases)
        {
            config.Add($"max_topic_alias {aliases}");
        }

        return new MosquittoTestBroker(await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfig = config }));
    }

    public async Task WaitForPingsAsync(string clientId, int count, TimeSpan timeout)
    {
        var line = $"Received PINGREQ from {clientId}";
        var deadline = DateTime.UtcNow + timeout;
        while (CountOccurrences(_broker.ReadLog(), line) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"mosquitto logged fewer than {count} PINGREQs from {clientId} within {timeout}.");
            }

            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => _broker.DisposeAsync();

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
