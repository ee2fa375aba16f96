using System.CommandLine;
using EdgeSeg.Service.Cli;

namespace EdgeSeg.Service;

/// <summary>Entry point of <c>edgeseg</c>: one verb per file under <c>Cli/</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
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
        return await root.Parse(args).InvokeAsync();
    }
}
