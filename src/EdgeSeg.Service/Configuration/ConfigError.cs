namespace EdgeSeg.Service.Configuration;

/// <summary>One configuration problem: the key, the value found there (null when absent) and the rule it breaks.</summary>
/// <param name="Key">The full configuration key, e.g. <c>Sources:0:Uri</c>.</param>
/// <param name="Value">The value as configured, or null when the key is missing.</param>
/// <param name="Rule">What the value must be, in words.</param>
internal sealed record ConfigError(string Key, string? Value, string Rule)
{
    /// <summary>A line already formatted as key, value and rule by another component's validation.</summary>
    public string? Line { get; init; }

    /// <summary>An error reported by another component (e.g. the scene options), in its own words.</summary>
    public static ConfigError Preformatted(string section, string line) => new(section, null, line) { Line = line };

    /// <inheritdoc />
    public override string ToString() => Line ?? (Value is null ? $"{Key} (not set): {Rule}" : $"{Key} = '{Value}': {Rule}");
}
