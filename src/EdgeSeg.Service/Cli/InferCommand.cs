using System.CommandLine;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.Service.Inference;

namespace EdgeSeg.Service.Cli;

/// <summary>
/// <c>edgeseg infer --model M.onnx [--card C.json] --input PATH... --out DIR</c>: segment images to files (videos: <c>process</c>).
/// </summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The ONNX model.", Required = true };
        var card = new Option<string?>("--card") { Description = "Its model card (default: the .json beside the model, then the model's metadata)." };
        var input = new Option<string[]>("--input")
        {
            Description = "Images (PNG, JPEG), or folders of them (videos: use 'edgeseg process').",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var outDir = new Option<string>("--out") { Description = "Folder for <stem>.mask.png and <stem>.overlay.png.", Required = true };
        var fast = new Option<bool>("--fast") { Description = "Arg-max at model resolution and nearest-neighbour upsampling (faster, blockier edges)." };
        var alpha = new Option<float>("--alpha") { Description = "Overlay opacity of the class colours (0..1).", DefaultValueFactory = _ => 0.5f };
        var inference = new InferenceCommandOptions();
        var command = new Command("infer", "Segment images with a model: class-index mask PNGs and overlays. Videos are processed by 'edgeseg process' (the metrics and events the service publishes, a summary and a report).")
        {
            model, card, input, outDir, fast, alpha,
        };
        inference.AddTo(command);
        command.SetAction(result =>
        {
            var a = result.GetValue(alpha);
            if (a is < 0 or > 1)
            {
                Console.Error.WriteLine($"infer: --alpha {a} is not between 0 and 1.");
                return ExitCodes.InvalidConfiguration;
            }

            var request = new InferRequest
            {
                ModelPath = result.GetValue(model)!,
                CardPath = result.GetValue(card),
                Inputs = result.GetValue(input) ?? [],
                OutputDirectory = result.GetValue(outDir)!,
                Alpha = a,
                Options = new SegmenterOptions
                {
                    Upsample = result.GetValue(fast) ? UpsampleMode.Fast : UpsampleMode.Bilinear,
                    Inference = inference.Read(result, null),
                },
            };
            return InferRunner.Run(request, Console.Out, Console.Error);
        });
        return command;
    }
}
