namespace EdgeSeg.TestSupport.Mosquitto;

/// <summary>How a <see cref="MosquittoBroker"/> is configured.</summary>
public sealed class MosquittoOptions
{
    /// <summary>Also open a TLS listener (<see cref="MosquittoBroker.TlsPort"/>) with certificates made by openssl for the test.</summary>
    public bool Tls { get; init; }

    /// <summary>On the TLS listener, require a client certificate signed by the test CA.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>
    /// Keep client sessions (subscriptions, and QoS 1 and 2 messages queued or in flight to their clients) across
    /// <see cref="MosquittoBroker.StopAsync"/> and <see cref="MosquittoBroker.StartAsync(System.Threading.CancellationToken)"/>:
    /// the broker writes them to a file in its folder when SIGTERM stops it. <see cref="MosquittoBroker.KillAsync"/>
    /// loses them.
    /// </summary>
    public bool Persistence { get; init; }

    /// <summary>Extra lines appended to mosquitto.conf (for example <c>max_inflight_messages 0</c>).</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];
}
