using System.CommandLine;
using EdgeSeg.Trainer.Cli;

namespace EdgeSeg.Trainer;

/// <summary>Entry point of <c>edgeseg-train</c>: one verb per file under <c>Cli/</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("edgeseg-train: trains U-Net segmentation models for EdgeSeg from labelled images and masks, "
            + "evaluates them (pixel accuracy, per-class IoU, mIoU) and exports ONNX models the edgeseg service loads.")
        {
            VersionCommand.Create(),
            BenchCommand.Create(),
            SynthCommand.Create(),
            TrainCommand.Create(),
            CheckCommand.Create(),
            EvalCommand.Create(),
        };
        return await root.Parse(args).InvokeAsync();
    }
}
