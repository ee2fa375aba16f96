using System.Text.RegularExpressions;

namespace EdgeSeg.Service.Configuration;

/// <summary>Names that become MQTT topic levels and URL segments (device and source ids).</summary>
internal static partial class NameRules
{
    /// <summary>The rule in words.</summary>
    public const string Rule = "must be 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit (it becomes an MQTT topic level and a URL segment)";

    /// <summary>Whether <paramref name="name"/> is a valid id.</summary>
    public static bool IsValid(string name) => IdPattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
