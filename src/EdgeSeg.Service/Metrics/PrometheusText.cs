using System.Globalization;
using System.Text;

namespace EdgeSeg.Service.Metrics;

/// <summary>The escaping and number rules of the Prometheus text exposition format 0.0.4.</summary>
internal static class PrometheusText
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Appends help text: backslash and newline escaped.</summary>
    public static void AppendHelp(StringBuilder output, string help)
    {
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => output.Append(@"\\"),
                '\n' => output.Append(@"\n"),
                _ => output.Append(c),
            };
        }
    }

    /// <summary>Appends <c>{a="x",b="y"}</c> (nothing when there are no labels).</summary>
    public static void AppendLabels(StringBuilder output, IReadOnlyList<string> names, string[] values, string? extraName, string? extraValue)
    {
        if (names.Count == 0 && extraName is null)
        {
            return;
        }

        output.Append('{');
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                output.Append(',');
            }

            AppendLabel(output, names[i], values[i]);
        }

        if (extraName is not null)
        {
            if (names.Count > 0)
            {
                output.Append(',');
            }

            AppendLabel(output, extraName, extraValue ?? "");
        }

        output.Append('}');
    }

    /// <summary>Appends a sample value: Go-style float text, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static void AppendValue(StringBuilder output, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            output.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            output.Append("-Inf");
        }
        else if (double.IsNaN(value))
        {
            output.Append("NaN");
        }
        else
        {
            output.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static void AppendLabel(StringBuilder output, string name, string value)
    {
        output.Append(name).Append("=\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => output.Append(@"\\"),
                '"' => output.Append("\\\""),
                '\n' => output.Append(@"\n"),
                _ => output.Append(c),
            };
        }

        output.Append('"');
    }
}
