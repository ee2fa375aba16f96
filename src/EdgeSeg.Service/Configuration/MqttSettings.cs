using System.Collections.Frozen;

namespace EdgeSeg.Service.Configuration;

/// <summary>The <c>Mqtt</c> section: the broker, identity, security and the published streams.</summary>
internal sealed class MqttSettings
{
    /// <summary>The default topic prefix.</summary>
    public const string DefaultTopicPrefix = "edgeseg/v1";

    private static readonly FrozenDictionary<string, MqttProtocol> Protocols = new Dictionary<string, MqttProtocol>
    {
        ["5.0"] = MqttProtocol.V500,
        ["5"] = MqttProtocol.V500,
        ["3.1.1"] = MqttProtocol.V311,
        ["311"] = MqttProtocol.V311,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>Mqtt:Host</c>: the broker's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary><c>Mqtt:Port</c>.</summary>
    public int Port { get; init; }

    /// <summary><c>Mqtt:Endpoints</c>: further <c>host:port</c> endpoints tried in turn after Host:Port (a clustered broker).</summary>
    public required IReadOnlyList<(string Host, int Port)> Endpoints { get; init; }

    /// <summary><c>Mqtt:ProtocolVersion</c>: <c>5.0</c> or <c>3.1.1</c>.</summary>
    public MqttProtocol ProtocolVersion { get; init; }

    /// <summary><c>Mqtt:ClientId</c>; defaults to <c>edgeseg-{Device:Id}</c>.</summary>
    public required string ClientId { get; init; }

    /// <summary><c>Mqtt:KeepAliveSeconds</c>.</summary>
    public int KeepAliveSeconds { get; init; }

    /// <summary><c>Mqtt:TopicPrefix</c>, without a trailing slash.</summary>
    public required string TopicPrefix { get; init; }

    /// <summary><c>Mqtt:Username</c>.</summary>
    public string? Username { get; init; }

    /// <summary><c>Mqtt:PasswordFile</c>: a file (or <c>credential:NAME</c>) holding the password, absolute.</summary>
    public string? PasswordFile { get; init; }

    /// <summary><c>Mqtt:Tls:Enabled</c>.</summary>
    public bool TlsEnabled { get; init; }

    /// <summary><c>Mqtt:Tls:CaFile</c>: PEM CA bundle the broker's certificate must chain to; null uses the system store.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary><c>Mqtt:Tls:CertFile</c>: client certificate (PEM).</summary>
    public string? TlsCertFile { get; init; }

    /// <summary><c>Mqtt:Tls:KeyFile</c>: the client certificate's key (PEM, or <c>credential:NAME</c>).</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary><c>Mqtt:Tls:ServerName</c>: the name the broker's certificate must carry; defaults to Host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary><c>Mqtt:OfflineQueue:Directory</c>: where the QoS 1 streams queue on disk while the broker is away.</summary>
    public required string OfflineQueueDirectory { get; init; }

    /// <summary><c>Mqtt:OfflineQueue:MaxMessages</c>: per queued stream (metrics, events); the oldest are dropped (and counted) beyond it.</summary>
    public int OfflineQueueMaxMessages { get; init; }

    /// <summary><c>Mqtt:Streams:Mask</c>.</summary>
    public required MqttStreamSettings Mask { get; init; }

    /// <summary><c>Mqtt:Streams:Metrics</c>.</summary>
    public required MqttStreamSettings Metrics { get; init; }

    /// <summary><c>Mqtt:Streams:Events</c>.</summary>
    public required MqttStreamSettings Events { get; init; }

    /// <summary><c>Mqtt:Streams:Overlay</c>.</summary>
    public required MqttStreamSettings Overlay { get; init; }

    /// <summary>Reads and checks the section.</summary>
    public static MqttSettings Read(ConfigReader reader, SettingsContext context, string deviceId, string stateDirectory)
    {
        reader.OnlyKnown("Mqtt", "Host", "Port", "Endpoints", "ProtocolVersion", "ClientId", "KeepAliveSeconds", "TopicPrefix",
            "Username", "PasswordFile", "Tls", "OfflineQueue", "Streams");
        reader.OnlyKnown("Mqtt:Tls", "Enabled", "CaFile", "CertFile", "KeyFile", "ServerName");
        reader.OnlyKnown("Mqtt:OfflineQueue", "Directory", "MaxMessages");
        reader.OnlyKnown("Mqtt:Streams", "Mask", "Metrics", "Events", "Overlay");

        var host = reader.String("Mqtt:Host", null, required: true);
        if (host is not null && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            reader.Fail("Mqtt:Host", host, "must be a host name or an IP address (no scheme, no port)");
        }

        var topicPrefix = reader.String("Mqtt:TopicPrefix", DefaultTopicPrefix)!;
        if (TopicPrefixProblem(topicPrefix) is { } problem)
        {
            reader.Fail("Mqtt:TopicPrefix", topicPrefix, problem);
        }

        var clientId = reader.String("Mqtt:ClientId", $"edgeseg-{deviceId}")!;
        if (clientId.Length > 128 || clientId.Any(char.IsControl))
        {
            reader.Fail("Mqtt:ClientId", clientId, "must be 1 to 128 printable characters");
        }

        var username = reader.String("Mqtt:Username", null);
        var passwordFile = PathRules.ExistingFile(reader, context, "Mqtt:PasswordFile", required: false, "a file holding the MQTT password");
        if (passwordFile is not null && username is null)
        {
            reader.Fail("Mqtt:Username", null, "is required when Mqtt:PasswordFile is set");
        }

        var tls = reader.Bool("Mqtt:Tls:Enabled", false);
        var caFile = PathRules.ExistingFile(reader, context, "Mqtt:Tls:CaFile", required: false, "a PEM CA bundle");
        var certFile = PathRules.ExistingFile(reader, context, "Mqtt:Tls:CertFile", required: false, "a PEM client certificate");
        var keyFile = PathRules.ExistingFile(reader, context, "Mqtt:Tls:KeyFile", required: false, "the PEM key of the client certificate");
        if ((reader.Raw("Mqtt:Tls:CertFile") is null) != (reader.Raw("Mqtt:Tls:KeyFile") is null))
        {
            reader.Fail(reader.Raw("Mqtt:Tls:CertFile") is null ? "Mqtt:Tls:CertFile" : "Mqtt:Tls:KeyFile", null, "a client certificate needs both Mqtt:Tls:CertFile and Mqtt:Tls:KeyFile");
        }

        if (!tls && (reader.Raw("Mqtt:Tls:CaFile") ?? reader.Raw("Mqtt:Tls:CertFile") ?? reader.Raw("Mqtt:Tls:ServerName")) is not null)
        {
            reader.Fail("Mqtt:Tls:Enabled", reader.Raw("Mqtt:Tls:Enabled"), "must be true when TLS files or a server name are configured");
        }

        return new MqttSettings
        {
            Host = host ?? "",
            Port = reader.Int("Mqtt:Port", tls ? 8883 : 1883, 1, 65535),
            Endpoints = ReadEndpoints(reader),
            ProtocolVersion = reader.Choice("Mqtt:ProtocolVersion", MqttProtocol.V500, Protocols),
            ClientId = clientId,
            KeepAliveSeconds = reader.Int("Mqtt:KeepAliveSeconds", 30, 5, 3600),
            TopicPrefix = topicPrefix,
            Username = username,
            PasswordFile = passwordFile,
            TlsEnabled = tls,
            TlsCaFile = caFile,
            TlsCertFile = certFile,
            TlsKeyFile = keyFile,
            TlsServerName = reader.String("Mqtt:Tls:ServerName", null),
            OfflineQueueDirectory = PathRules.Directory(reader, context, "Mqtt:OfflineQueue:Directory", Path.Combine(stateDirectory, "mqtt-queue")),
            OfflineQueueMaxMessages = reader.Int("Mqtt:OfflineQueue:MaxMessages", 100_000, 1, 100_000_000),
            Mask = MqttStreamSettings.Read(reader, "Mask", new() { Enabled = true, Qos = 0, Scale = 1, JpegQuality = 80 }),
            Metrics = MqttStreamSettings.Read(reader, "Metrics", new() { Enabled = true, Qos = 1, Scale = 1, JpegQuality = 80 }),
            Events = MqttStreamSettings.Read(reader, "Events", new() { Enabled = true, Qos = 1, Scale = 1, JpegQuality = 80 }),
            Overlay = MqttStreamSettings.Read(reader, "Overlay", new() { Enabled = false, Qos = 0, MaxRate = 1, Scale = 1, JpegQuality = 80 }),
        };
    }

    /// <summary>Why <paramref name="prefix"/> cannot be a topic prefix, or null when it can.</summary>
    public static string? TopicPrefixProblem(string prefix)
    {
        if (prefix.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            return "must not contain the wildcards '+' or '#'";
        }

        if (prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Contains("//", StringComparison.Ordinal))
        {
            return "must not start or end with '/' or have empty levels (e.g. edgeseg/v1)";
        }

        if (prefix.Any(char.IsControl) || prefix.StartsWith('$'))
        {
            return "must not contain control characters or start with '$' (reserved for the broker)";
        }

        return null;
    }

    private static List<(string Host, int Port)> ReadEndpoints(ConfigReader reader)
    {
        var endpoints = new List<(string, int)>();
        foreach (var entry in reader.List("Mqtt:Endpoints", []))
        {
            var colon = entry.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(entry.AsSpan(colon + 1), out var port) || port is < 1 or > 65535
                || Uri.CheckHostName(entry[..colon].Trim('[', ']')) == UriHostNameType.Unknown)
            {
                reader.Fail("Mqtt:Endpoints", entry, "each endpoint must be host:port with a port from 1 to 65535");
                continue;
            }

            endpoints.Add((entry[..colon].Trim('[', ']'), port));
        }

        return endpoints;
    }
}
