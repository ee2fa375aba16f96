using System.Globalization;
using EdgeSeg.Core.Timing;
using Microsoft.Extensions.Configuration;

namespace EdgeSeg.Service.Configuration;

/// <summary>
/// Reads typed values from an <see cref="IConfiguration"/> by full key and collects every rule a value breaks instead
/// of stopping at the first one (the framework binder throws on the first bad conversion). A value that breaks a rule
/// reads as the default so that reading can go on and later rules are still checked.
/// </summary>
internal sealed class ConfigReader(IConfiguration root)
{
    private readonly List<ConfigError> _errors = [];

    /// <summary>Every error found so far, in the order found.</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>The configuration being read.</summary>
    public IConfiguration Root { get; } = root;

    /// <summary>Records an error found elsewhere.</summary>
    public void Add(ConfigError error) => _errors.Add(error);

    /// <summary>Records an error.</summary>
    public void Fail(string key, string? value, string rule) => _errors.Add(new ConfigError(key, value, rule));

    /// <summary>The raw value at <paramref name="key"/>, null when absent or empty.</summary>
    public string? Raw(string key)
    {
        var value = Root[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Whether the key has a value or children.</summary>
    public bool Exists(string key) => Root.GetSection(key).Exists();

    /// <summary>A string; when <paramref name="required"/> and absent, an error.</summary>
    public string? String(string key, string? defaultValue, bool required = false)
    {
        var value = Raw(key);
        if (value is null && required)
        {
            Fail(key, null, "is required");
        }

        return value ?? defaultValue;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string key, int defaultValue, int min, int max)
    {
        var value = Raw(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            Fail(key, value, $"must be a whole number from {min} to {max}");
            return defaultValue;
        }

        if (parsed < min || parsed > max)
        {
            Fail(key, value, $"must be from {min} to {max}");
            return defaultValue;
        }

        return parsed;
    }

    /// <summary>
    /// A frame rate: 0 (not set: the default pace, or every frame) or a number in the one range every rate has,
    /// <see cref="FrameRate.Minimum"/> to <see cref="FrameRate.Maximum"/> frames per second.
    /// </summary>
    public double Rate(string key, double defaultValue)
    {
        var value = Raw(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !(parsed == 0 || FrameRate.IsValid(parsed)))
        {
            Fail(key, value, $"must be 0 (not set) or from {FrameRate.RangeText} frames per second");
            return defaultValue;
        }

        return parsed;
    }

    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double Double(string key, double defaultValue, double min, double max)
    {
        var value = Raw(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
        {
            Fail(key, value, $"must be a number from {Format(min)} to {Format(max)}");
            return defaultValue;
        }

        if (parsed < min || parsed > max)
        {
            Fail(key, value, $"must be from {Format(min)} to {Format(max)}");
            return defaultValue;
        }

        return parsed;
    }

    /// <summary><c>true</c> or <c>false</c> (any case).</summary>
    public bool Bool(string key, bool defaultValue)
    {
        var value = Raw(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (!bool.TryParse(value, out var parsed))
        {
            Fail(key, value, "must be true or false");
            return defaultValue;
        }

        return parsed;
    }

    /// <summary>One of the names in <paramref name="allowed"/> (case-insensitive), mapped to its value.</summary>
    public T Choice<T>(string key, T defaultValue, IReadOnlyDictionary<string, T> allowed)
    {
        var value = Raw(key);
        if (value is null)
        {
            return defaultValue;
        }

        foreach (var (name, mapped) in allowed)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                return mapped;
            }
        }

        Fail(key, value, $"must be one of: {string.Join(", ", allowed.Keys)}");
        return defaultValue;
    }

    /// <summary>
    /// A list of strings: the array form (<c>Key:0</c>, <c>Key:1</c>, ...) or one comma-separated value. Absent reads as
    /// <paramref name="defaultValue"/>.
    /// </summary>
    public IReadOnlyList<string> List(string key, IReadOnlyList<string> defaultValue)
    {
        var single = Raw(key);
        if (single is not null)
        {
            return single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var items = Indexed(key).Select(i => Raw($"{key}:{i}")).OfType<string>().ToArray();
        return items.Length == 0 ? defaultValue : items;
    }

    /// <summary>
    /// The indices of an array section in numeric order. A child whose name is not a non-negative integer is an error.
    /// </summary>
    public IReadOnlyList<int> Indexed(string key)
    {
        var indices = new List<int>();
        foreach (var child in Root.GetSection(key).GetChildren())
        {
            if (int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indices.Add(index);
            }
            else
            {
                Fail($"{key}:{child.Key}", child.Value, $"{key} is a list: its entries are numbered {key}:0, {key}:1, ...");
            }
        }

        indices.Sort();
        return indices;
    }

    /// <summary>
    /// Reports every key directly under <paramref name="section"/> that is not in <paramref name="known"/> (a typo
    /// would otherwise be silently ignored and the default used).
    /// </summary>
    public void OnlyKnown(string section, params string[] known)
    {
        foreach (var child in Root.GetSection(section).GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                Fail($"{section}:{child.Key}", child.Value, $"is not a setting; {section} has: {string.Join(", ", known)}");
            }
        }
    }

    private static string Format(double value) => value switch
    {
        double.MaxValue => "any",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}
