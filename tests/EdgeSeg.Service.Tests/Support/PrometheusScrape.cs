using System.Globalization;

namespace EdgeSeg.Service.Tests.Support;

/// <summary>One scrape of <c>/metrics</c>, parsed: each sample's value by its series (<c>name{labels}</c> as printed).</summary>
internal sealed class PrometheusScrape
{
    private readonly Dictionary<string, double> _samples;

    private PrometheusScrape(Dictionary<string, double> samples) => _samples = samples;

    /// <summary>GETs <c>/metrics</c> from <paramref name="http"/> and parses it.</summary>
    public static async Task<PrometheusScrape> GetAsync(HttpClient http)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }

        return new PrometheusScrape(samples);
    }

    /// <summary>The value of <paramref name="series"/>, or <paramref name="absent"/> when /metrics does not list it (yet).</summary>
    public double ValueOr(string series, double absent) => _samples.GetValueOrDefault(series, absent);

    /// <summary>The value of <paramref name="series"/> (e.g. <c>edgeseg_source_fps{source="cam0"}</c>); fails when absent.</summary>
    public double this[string series] => _samples.TryGetValue(series, out var value)
        ? value
        : throw new KeyNotFoundException($"/metrics has no series {series}");
}
