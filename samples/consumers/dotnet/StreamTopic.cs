namespace EdgeSegSubscriber;

/// <summary>
/// One of the topics this program follows: <c>{prefix}/{device}/status</c>, <c>{prefix}/{device}/classes</c> and
/// <c>{prefix}/{device}/{source}/{mask|metrics|events}</c>.
/// </summary>
internal readonly record struct StreamTopic(string Stream, string Device, string? Source)
{
    /// <summary>The streams in the order they are described (the first word of every printed line).</summary>
    public static readonly string[] Streams = ["status", "classes", "mask", "metrics", "events"];

    /// <summary>The topic filters for <paramref name="device"/> (null: every device) under <paramref name="prefix"/>.</summary>
    public static IEnumerable<string> Filters(string prefix, string? device)
    {
        var d = device ?? "+";
        yield return $"{prefix}/{d}/status";
        yield return $"{prefix}/{d}/classes";
        yield return $"{prefix}/{d}/+/mask";
        yield return $"{prefix}/{d}/+/metrics";
        yield return $"{prefix}/{d}/+/events";
    }

    /// <summary>"device" or "device/source", as printed after the stream name.</summary>
    public string Origin => Source is null ? Device : $"{Device}/{Source}";

    /// <summary>Splits <paramref name="topic"/> under <paramref name="prefix"/>; false for any other topic.</summary>
    public static bool TryParse(string prefix, string topic, out StreamTopic parsed)
    {
        parsed = default;
        if (!topic.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            return false;
        }

        var levels = topic[(prefix.Length + 1)..].Split('/');
        switch (levels)
        {
            case [var device, "status" or "classes"]:
                parsed = new StreamTopic(levels[1], device, null);
                return true;
            case [var device, var source, "mask" or "metrics" or "events"]:
                parsed = new StreamTopic(levels[2], device, source);
                return true;
            default:
                return false;
        }
    }
}
