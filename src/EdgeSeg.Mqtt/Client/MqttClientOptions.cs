namespace EdgeSeg.Mqtt;

/// <summary>Configuration of an <see cref="MqttClient"/>. Immutable once the client is created.</summary>
public sealed class MqttClientOptions
{
    /// <summary>Broker addresses, tried in turn until one accepts. At least one.</summary>
    public IReadOnlyList<MqttEndpoint> Endpoints { get; init; } = [];

    /// <summary>Protocol version; MQTT 5.0 by default.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    /// <summary>Client identifier. Must be set (and stable) to resume a session.</summary>
    public string ClientId { get; init; } = "";

    /// <summary>
    /// Start a new session on every connect (true), or resume the broker's session (false), in which case the
    /// in-flight QoS 1/2 publishes are resent with DUP set after a reconnect.
    /// </summary>
    public bool CleanStart { get; init; } = true;

    /// <summary>MQTT 5 session expiry interval in seconds (0 = the session ends with the connection). Needed for resume.</summary>
    public uint SessionExpiryInterval { get; init; }

    /// <summary>Keep-alive interval; a PINGREQ goes out every half interval. Zero disables keep-alive (and silent-connection detection).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a PINGREQ may go unanswered before the connection is declared silent and replaced; the keep-alive when null.</summary>
    public TimeSpan? PingTimeout { get; init; }

    /// <summary>How long the TCP/TLS connect plus the CONNECT/CONNACK exchange may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the broker may take to answer a SUBSCRIBE or UNSUBSCRIBE, and how long it may go silent in the middle
    /// of a packet it started sending. Either failure ends the connection (the client reconnects with backoff).
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; doubled per failed round over all endpoints, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>User name, or null.</summary>
    public string? UserName { get; init; }

    /// <summary>Password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>Last will: published by the broker when this client's connection ends without a normal DISCONNECT.</summary>
    public MqttMessage? Will { get; init; }

    /// <summary>MQTT 5 will delay interval in seconds, or null.</summary>
    public uint? WillDelayInterval { get; init; }

    /// <summary>TLS settings for endpoints that use TLS.</summary>
    public MqttTlsOptions? Tls { get; init; }

    /// <summary>Our own cap on unacknowledged QoS 1/2 publishes; the broker's receive maximum lowers it further.</summary>
    public int MaximumInFlight { get; init; } = 65_535;

    /// <summary>MQTT 5 receive maximum we announce: how many QoS 1/2 publishes the broker may have unacknowledged towards us.</summary>
    public ushort ReceiveMaximum { get; init; } = 100;

    /// <summary>The largest packet we accept; larger ones are a protocol violation.</summary>
    public int MaximumIncomingPacketSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>MQTT 5 topic alias maximum we announce for packets towards us.</summary>
    public ushort TopicAliasMaximum { get; init; } = 16;

    /// <summary>Whether outgoing publishes use topic aliases (MQTT 5, up to the broker's topic alias maximum).</summary>
    public bool UseTopicAliases { get; init; } = true;

    /// <summary>MQTT 5 user properties sent with CONNECT.</summary>
    public IReadOnlyList<MqttUserProperty>? ConnectUserProperties { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Endpoints.Count == 0)
        {
            throw new ArgumentException("MQTT options need at least one endpoint.", nameof(Endpoints));
        }

        foreach (var e in Endpoints)
        {
            if (string.IsNullOrWhiteSpace(e.Host) || e.Port is <= 0 or > 65_535)
            {
                throw new ArgumentException($"MQTT endpoint '{e}' needs a host and a port in 1..65535.", nameof(Endpoints));
            }
        }

        if (ProtocolVersion is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            throw new ArgumentException($"MQTT protocol version {ProtocolVersion} is not 3.1.1 (4) or 5.0 (5).", nameof(ProtocolVersion));
        }

        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue)
        {
            throw new ArgumentException($"Keep-alive {KeepAlive} must be 0..65535 s.", nameof(KeepAlive));
        }

        if (KeepAlive > TimeSpan.Zero && KeepAlive < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"Keep-alive {KeepAlive} is below the protocol's one-second resolution.", nameof(KeepAlive));
        }

        if (ConnectTimeout <= TimeSpan.Zero || ReconnectMinDelay < TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            throw new ArgumentException("Connect timeout must be positive and the reconnect delays 0 <= min <= max.", nameof(ConnectTimeout));
        }

        if (ResponseTimeout <= TimeSpan.Zero || PingTimeout is { } ping && ping <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ResponseTimeout {ResponseTimeout} and PingTimeout {PingTimeout} must be positive.", nameof(ResponseTimeout));
        }

        if (MaximumInFlight is < 1 or > 65_535)
        {
            throw new ArgumentException($"MaximumInFlight {MaximumInFlight} must be 1..65535.", nameof(MaximumInFlight));
        }

        if (ReceiveMaximum == 0)
        {
            throw new ArgumentException("ReceiveMaximum must be at least 1.", nameof(ReceiveMaximum));
        }

        if (MaximumIncomingPacketSize < 64)
        {
            throw new ArgumentException($"MaximumIncomingPacketSize {MaximumIncomingPacketSize} is too small.", nameof(MaximumIncomingPacketSize));
        }

        if (ProtocolVersion == MqttProtocolVersion.V311 && string.IsNullOrEmpty(ClientId) && !CleanStart)
        {
            throw new ArgumentException("MQTT 3.1.1 needs a client id to resume a session (CleanStart = false).", nameof(ClientId));
        }

        if (Will is not null)
        {
            MqttTopic.ValidateTopicName(Will.Topic, nameof(Will));
        }

        if ((Tls?.ClientCertificateFile is null) != (Tls?.ClientKeyFile is null))
        {
            throw new ArgumentException("A TLS client certificate needs both ClientCertificateFile and ClientKeyFile.", nameof(Tls));
        }
    }
}
