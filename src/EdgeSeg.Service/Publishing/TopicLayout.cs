namespace EdgeSeg.Service.Publishing;

/// <summary>
/// The MQTT topics of one device: <c>{prefix}/{device}/{source}/mask|metrics|events|overlay</c>,
/// <c>{prefix}/{device}/status</c>, <c>{prefix}/{device}/classes</c> and <c>{prefix}/{device}/cmd/{command}</c>
/// (replies on <c>{prefix}/{device}/cmd/{command}/reply</c>). Immutable.
/// </summary>
internal sealed class TopicLayout
{
    /// <summary>Creates the layout; the prefix has no trailing slash, device and source ids are single topic levels.</summary>
    public TopicLayout(string prefix, string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        CheckLevel(deviceId, nameof(deviceId));
        DeviceRoot = $"{prefix}/{deviceId}";
    }

    /// <summary><c>{prefix}/{device}</c>.</summary>
    public string DeviceRoot { get; }

    /// <summary>Retained online/offline status.</summary>
    public string Status => $"{DeviceRoot}/status";

    /// <summary>Retained class list.</summary>
    public string Classes => $"{DeviceRoot}/classes";

    /// <summary>The filter the service subscribes to for commands.</summary>
    public string CommandFilter => $"{DeviceRoot}/cmd/+";

    /// <summary>The prefix of command topics.</summary>
    public string CommandPrefix => $"{DeviceRoot}/cmd/";

    /// <summary>Mask PNGs of <paramref name="source"/>.</summary>
    public string Mask(string source) => SourceTopic(source, "mask");

    /// <summary>Per-frame metrics JSON of <paramref name="source"/>.</summary>
    public string Metrics(string source) => SourceTopic(source, "metrics");

    /// <summary>Event JSON of <paramref name="source"/>.</summary>
    public string Events(string source) => SourceTopic(source, "events");

    /// <summary>Overlay JPEGs of <paramref name="source"/>.</summary>
    public string Overlay(string source) => SourceTopic(source, "overlay");

    /// <summary>The reply topic of command topic <paramref name="commandTopic"/>.</summary>
    public static string Reply(string commandTopic) => commandTopic + "/reply";

    /// <summary>
    /// Whether a requester may have a reply published on <paramref name="topic"/> (an MQTT 5 response topic): a valid
    /// topic name, not a <c>$</c> topic, and not under this device's topics except <c>{device}/cmd/{name}/reply</c>,
    /// so that no request can make the device write into its own masks, metrics, events, status or commands.
    /// </summary>
    /// <param name="topic">The requested response topic.</param>
    /// <param name="reason">Why not, naming the topic; null when allowed.</param>
    public bool IsAllowedReplyTopic(string topic, out string? reason)
    {
        reason = null;
        if (topic.Length == 0 || topic.AsSpan().IndexOfAny("+#\0") >= 0 || topic.StartsWith('$'))
        {
            reason = $"response topic '{topic}' is not a topic a reply can be published on (empty, a wildcard, or a $ topic)";
            return false;
        }

        if (topic != DeviceRoot && !topic.StartsWith(DeviceRoot + "/", StringComparison.Ordinal))
        {
            return true;
        }

        var levels = topic.Length > DeviceRoot.Length ? topic[(DeviceRoot.Length + 1)..].Split('/') : [];
        if (levels is ["cmd", { Length: > 0 }, "reply"])
        {
            return true;
        }

        reason = $"response topic '{topic}' is one of this device's own topics; under '{DeviceRoot}/' a reply may go only to cmd/{{name}}/reply (or leave the response topic out)";
        return false;
    }

    /// <summary>Throws unless <paramref name="level"/> is one non-empty topic level without wildcards.</summary>
    public static void CheckLevel(string level, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(level, paramName);
        if (level.AsSpan().IndexOfAny("/+#\0") >= 0)
        {
            throw new ArgumentException($"'{level}' must be one topic level: no '/', '+', '#'.", paramName);
        }
    }

    private string SourceTopic(string source, string stream)
    {
        CheckLevel(source, nameof(source));
        return $"{DeviceRoot}/{source}/{stream}";
    }
}
