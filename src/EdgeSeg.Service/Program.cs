using System.CommandLine;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Hosting;

namespace EdgeSeg.Service;

/// <summary>Entry point of <c>edgeseg</c>: one verb per file under <c>Cli/</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // First of all: a SIGTERM while the configuration is read or the host is built must stop the process cleanly
        // (exit 0), not meet the runtime's default (exit 143).
        using var signals = ProcessSignals.Install();
        var root = new RootCommand("edgeseg: edge video segmentation service. Reads camera and video frames, segments "
            + "them into background, road, vehicle, pedestrian and lane_marking, and publishes masks and metrics over MQTT.")
        {
            VersionCommand.Create(),
            CheckConfigCommand.Create(),
            RunCommand.Create(),
            InferCommand.Create(),
            ProcessCommand.Create(),
            DoctorCommand.Create(),
            BenchCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (CommandLineErrors.Describe(root, parsed, args) is { } errors)
        {
            // System.CommandLine lets --help win over a parse error (an unknown command then prints the root help and
            // exits 0): a command line that is wrong is reported as wrong, whatever else it asks for.
            await Console.Error.WriteLineAsync(errors);
            return ExitCodes.InvalidConfiguration;
        }

        return await parsed.InvokeAsync();
    }
}
