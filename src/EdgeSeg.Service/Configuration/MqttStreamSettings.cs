namespace EdgeSeg.Service.Configuration;

/// <summary>
/// <c>Mqtt:Streams:NAME</c>: how one published stream (Mask, Metrics, Events, Overlay) behaves. While the broker is
/// away, masks and overlays keep only the newest message per topic; metrics and events (always QoS 1) wait in the
/// bounded on-disk queue and are delivered in order when it returns.
/// </summary>
internal sealed class MqttStreamSettings
{
    /// <summary>Whether the stream is published at all.</summary>
    public bool Enabled { get; init; }

    /// <summary>QoS 0 or 1 (metrics and events: 1 only).</summary>
    public int Qos { get; init; }

    /// <summary>Most messages per second per source; 0 publishes every frame (events are never rate-limited).</summary>
    public double MaxRate { get; init; }

    /// <summary>Mask stream: the scale factor (nearest-neighbour) applied before encoding, 1 = full frame.</summary>
    public double Scale { get; init; }

    /// <summary>Overlay stream: JPEG quality.</summary>
    public int JpegQuality { get; init; }

    /// <summary>Reads and checks <c>Mqtt:Streams:<paramref name="name"/></c> over the stream's defaults.</summary>
    public static MqttStreamSettings Read(ConfigReader reader, string name, MqttStreamSettings defaults)
    {
        var prefix = $"Mqtt:Streams:{name}";
        string[] known = name switch
        {
            "Mask" => ["Enabled", "Qos", "MaxRate", "Scale"],
            "Overlay" => ["Enabled", "Qos", "MaxRate", "JpegQuality"],
            "Events" => ["Enabled", "Qos"],
            _ => ["Enabled", "Qos", "MaxRate"],
        };
        reader.OnlyKnown(prefix, known);
        var telemetry = name is "Metrics" or "Events";
        var qos = telemetry
            ? reader.Int($"{prefix}:Qos", 1, 1, 1)
            : reader.Int($"{prefix}:Qos", defaults.Qos, 0, 1);
        return new MqttStreamSettings
        {
            Enabled = reader.Bool($"{prefix}:Enabled", defaults.Enabled),
            Qos = qos,
            MaxRate = reader.Rate($"{prefix}:MaxRate", defaults.MaxRate),
            Scale = reader.Double($"{prefix}:Scale", defaults.Scale, 0.01, 1),
            JpegQuality = reader.Int($"{prefix}:JpegQuality", defaults.JpegQuality, 1, 100),
        };
    }
}
