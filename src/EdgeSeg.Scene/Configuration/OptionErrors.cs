using System.Globalization;

namespace EdgeSeg.Scene.Configuration;

/// <summary>Collects validation errors, each naming the configuration key, the value and the rule broken.</summary>
internal sealed class OptionErrors
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public void Add(string key, object? value, string rule) =>
        _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} = {Format(value)}: {rule}"));

    public void Range(string key, double value, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        var ok = !double.IsNaN(value)
            && (minExclusive ? value > min : value >= min)
            && (maxExclusive ? value < max : value <= max);
        if (!ok)
        {
            var lo = minExclusive ? "(" : "[";
            var hi = maxExclusive ? ")" : "]";
            Add(key, value, string.Create(CultureInfo.InvariantCulture, $"must be in {lo}{min}, {max}{hi}"));
        }
    }

    public void Range(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(key, value, string.Create(CultureInfo.InvariantCulture, $"must be in [{min}, {max}]"));
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "(null)",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
