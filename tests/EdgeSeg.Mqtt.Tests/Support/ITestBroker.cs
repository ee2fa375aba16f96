namespace EdgeSeg.Mqtt.Tests.Support;

/// <summary>A real broker run for one test: mosquitto as a child process, or MQTTnet.Server in this process.</summary>
internal interface ITestBroker : IAsyncDisposable
{
    /// <summary>The loopback address it listens on.</summary>
    string Host { get; }

    /// <summary>Its plain MQTT port.</summary>
    int Port { get; }

    /// <summary>
    /// The most QoS 1/2 publishes from one client that the broker had received and not yet acknowledged, measured at
    /// the broker; null where the broker cannot be watched from the test.
    /// </summary>
    int? MaxInFlightSeen { get; }

    /// <summary>Waits until the broker has received <paramref name="count"/> PINGREQs from <paramref name="clientId"/>.</summary>
    Task WaitForPingsAsync(string clientId, int count, TimeSpan timeout);
}
