using System.Globalization;

namespace EdgeSeg.OnnxRuntime.Native;

/// <summary>
/// Which file a native library was really loaded from: the mapping of this process (<c>/proc/self/maps</c>) that holds
/// one of its addresses. The loader's search (deps.json, RPATH, LD_LIBRARY_PATH) decides the file, so asking the
/// kernel is the only answer that cannot be wrong.
/// </summary>
internal static class LoadedFiles
{
    /// <summary>The file mapped at <paramref name="address"/>, or null when none is (or the maps cannot be read).</summary>
    public static string? FileAt(nint address)
    {
        var target = (ulong)address;
        foreach (var line in ReadMaps())
        {
            // 7f1c2a000000-7f1c2a200000 r-xp 00000000 fd:01 123 /path/to/libonnxruntime.so
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (dash < 0 || space < dash || slash < 0
                || !ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            {
                continue;
            }

            if (target >= start && target < end)
            {
                return line[slash..].Trim();
            }
        }

        return null;
    }

    /// <summary>Every file mapped into this process whose name starts with <paramref name="fileNamePrefix"/>.</summary>
    public static IReadOnlyList<string> Named(string fileNamePrefix) =>
        [.. ReadMaps()
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? line[slash..].Trim() : null)
            .OfType<string>()
            .Where(path => Path.GetFileName(path).StartsWith(fileNamePrefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)];

    private static IEnumerable<string> ReadMaps()
    {
        const string Maps = "/proc/self/maps";
        return File.Exists(Maps) ? File.ReadLines(Maps) : [];
    }
}
