using System.Text;

namespace EdgeSeg.Mqtt;

/// <summary>Topic name and topic filter rules (section 4.7) and filter matching.</summary>
public static class MqttTopic
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="topic"/> is a valid topic name to publish to.</summary>
    public static void ValidateTopicName(string topic, string paramName)
    {
        ArgumentNullException.ThrowIfNull(topic, paramName);
        if (topic.Length == 0)
        {
            throw new ArgumentException("A topic name must not be empty.", paramName);
        }

        if (topic.AsSpan().IndexOfAny('+', '#', '\0') >= 0)
        {
            throw new ArgumentException($"Topic name '{topic}' contains a wildcard or U+0000.", paramName);
        }

        if (Encoding.UTF8.GetByteCount(topic) > ushort.MaxValue)
        {
            throw new ArgumentException("A topic name is at most 65,535 bytes of UTF-8.", paramName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="filter"/> is a valid topic filter (wildcards placed correctly).</summary>
    public static void ValidateTopicFilter(string filter, string paramName)
    {
        ArgumentNullException.ThrowIfNull(filter, paramName);
        if (filter.Length == 0 || filter.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A topic filter must be non-empty and free of U+0000.", paramName);
        }

        var levels = filter.Split('/');
        if (levels[0] == "$share")
        {
            if (levels.Length < 3 || levels[1].Length == 0 || levels[1].AsSpan().IndexOfAny('+', '#') >= 0)
            {
                throw new ArgumentException($"Shared subscription '{filter}' must be $share/{{group}}/{{filter}}.", paramName);
            }
        }

        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                throw new ArgumentException($"Topic filter '{filter}': '#' must be a whole last level.", paramName);
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                throw new ArgumentException($"Topic filter '{filter}': '+' must be a whole level.", paramName);
            }
        }
    }

    /// <summary>Whether <paramref name="topic"/> matches <paramref name="filter"/> (a <c>$share/group/</c> prefix is ignored).</summary>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);
        var f = filter.Split('/');
        var start = 0;
        if (f.Length >= 3 && f[0] == "$share")
        {
            start = 2;
        }

        var t = topic.Split('/');
        if (topic.StartsWith('$') && start < f.Length && (f[start] == "+" || f[start] == "#"))
        {
            return false; // 4.7.2: wildcards at the first level do not match $-topics.
        }

        var ti = 0;
        for (var fi = start; fi < f.Length; fi++, ti++)
        {
            if (f[fi] == "#")
            {
                return true;
            }

            if (ti >= t.Length || (f[fi] != "+" && f[fi] != t[ti]))
            {
                return false;
            }
        }

        return ti == t.Length;
    }
}
