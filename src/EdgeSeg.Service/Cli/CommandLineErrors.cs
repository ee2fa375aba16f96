using System.CommandLine;

namespace EdgeSeg.Service.Cli;

/// <summary>Turns a command line's parse errors into the message <c>edgeseg</c> prints before it exits 2.</summary>
internal static class CommandLineErrors
{
    /// <summary>The errors as lines naming what is wrong (an unknown command by name), or null when the command line parses.</summary>
    public static string? Describe(RootCommand root, ParseResult parsed, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(args);
        // Checked on the tokens, not on the parse errors: with --help anywhere, System.CommandLine reports none.
        var commands = root.Subcommands.Select(c => c.Name).ToArray();
        var first = args.Count > 0 ? args[0] : null;
        if (first is not null && !first.StartsWith('-') && !root.Subcommands.Any(c => c.Name == first || c.Aliases.Contains(first)))
        {
            return $"edgeseg: unknown command '{first}'; the commands are {string.Join(", ", commands)} (edgeseg --help describes them)";
        }

        if (parsed.Errors.Count == 0)
        {
            return null;
        }

        var name = parsed.CommandResult.Command == root ? "edgeseg" : $"edgeseg {parsed.CommandResult.Command.Name}";
        var lines = parsed.Errors.Select(e => $"{name}: {e.Message}");
        return string.Join(Environment.NewLine, lines.Append($"See '{name} --help'."));
    }
}
