using System.CommandLine;
using EdgeSeg.Service.Inference;

namespace EdgeSeg.Service.Cli;

/// <summary>
/// <c>edgeseg doctor [--model M.onnx]</c>: which ONNX Runtime is loaded from where, which providers it lists, which
/// provider would run the model and why each preferred one before it was skipped; with <c>--compare-on CLIP</c>, how
/// far that provider's masks agree with the CPU's.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "A model to open with the provider preference (without one, providers are only set up)." };
        var card = new Option<string?>("--card") { Description = "The model's card, to check it against the model too." };
        var compareOn = new Option<string?>("--compare-on")
        {
            Description = "A clip: segment its frames with the provider that won and with the CPU, and report the share of mask pixels that agree (goal >= 99.9%).",
        };
        var frames = new Option<int>("--frames") { Description = "Frames of --compare-on to compare.", DefaultValueFactory = _ => 100 };
        var inference = new InferenceCommandOptions();
        var command = new Command("doctor", "Report the ONNX Runtime library, its providers, and which provider runs a model and why others were skipped.")
        {
            model, card, compareOn, frames,
        };
        inference.AddTo(command);
        command.SetAction(result => DoctorRunner.Run(
            result.GetValue(model), result.GetValue(card), inference.Read(result, null), Console.Out, Console.Error, result.GetValue(compareOn), result.GetValue(frames)));
        return command;
    }
}
