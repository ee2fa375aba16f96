using System.Text.RegularExpressions;

namespace EdgeSeg.Service.Trips;

/// <summary>
/// Expands <c>--input</c> values into video files: a file as it is, a folder's video files (not recursive), and a glob
/// (<c>*</c> and <c>?</c> in the last path segment). An input that names nothing becomes a failure with its reason.
/// </summary>
internal static class TripInputs
{
    /// <summary>The extensions taken from folders and globs (a file named directly is tried whatever its extension).</summary>
    public static readonly string[] VideoExtensions = [".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".ts", ".mts"];

    /// <summary>The files, in the order given (folders and globs sorted by name), and the inputs that name no file.</summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<TripOutcome> Failures) Expand(IEnumerable<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var files = new List<string>();
        var failures = new List<TripOutcome>();
        foreach (var input in inputs)
        {
            if (File.Exists(input))
            {
                files.Add(Path.GetFullPath(input));
            }
            else if (Directory.Exists(input))
            {
                var videos = Directory.EnumerateFiles(input).Where(IsVideo).Order(StringComparer.Ordinal).ToArray();
                if (videos.Length == 0)
                {
                    failures.Add(new TripOutcome(input, TripOutcome.Failed, $"the folder {Path.GetFullPath(input)} holds no video file ({string.Join(", ", VideoExtensions)})"));
                }

                files.AddRange(videos.Select(Path.GetFullPath));
            }
            else if (input.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                var folder = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
                var pattern = Path.GetFileName(input);
                var matches = Directory.Exists(folder) && folder.AsSpan().IndexOfAny('*', '?') < 0
                    ? Directory.EnumerateFiles(folder).Where(f => Glob(pattern).IsMatch(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToArray()
                    : [];
                if (matches.Length == 0)
                {
                    failures.Add(new TripOutcome(input, TripOutcome.Failed, "the pattern matches no file (wildcards work in the file name only)"));
                }

                files.AddRange(matches.Select(Path.GetFullPath));
            }
            else
            {
                failures.Add(new TripOutcome(input, TripOutcome.Failed, $"does not exist ({Path.GetFullPath(input)})"));
            }
        }

        return (files.Distinct(StringComparer.Ordinal).ToArray(), failures);
    }

    private static bool IsVideo(string path) => VideoExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
