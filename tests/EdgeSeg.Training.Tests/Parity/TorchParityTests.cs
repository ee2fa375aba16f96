using System.Text.Json;
using EdgeSeg.Training.Checkpoints;
using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Tests.Parity;

/// <summary>
/// The engine against PyTorch 1.13 on a depth-2, base-4 U-Net (fixtures by tests/fixtures/torch/make_unet_fixtures.py):
/// forward, loss, every gradient, running statistics, one SGD and one AdamW step, eval-mode forward.
/// Tolerance: max |engine - torch| / max |torch| &lt;= 1e-4 per tensor.
/// </summary>
public class TorchParityTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("transposed", UpsamplingMode.TransposedConv)]
    [InlineData("bilinear", UpsamplingMode.Bilinear)]
    public void UNet_OneTrainingStep_MatchesPyTorch(string mode, UpsamplingMode upsampling)
    {
        var (fx, meta) = SafeTensors.Read(Path.Combine(AppContext.BaseDirectory, "fixtures", "torch", $"unet_{mode}.safetensors"));
        var options = new UNetOptions { Depth = 2, BaseWidth = 4, Classes = 5, Upsampling = upsampling };
        var model = Load(options, fx);
        var labels = fx["labels"].ToArray().Select(v => (byte)v).ToArray();
        var loss = new SegmentationLoss(
            new CrossEntropyLoss(5, [0.5f, 1f, 2f, 1.5f, 3f], 255, new Dictionary<int, IReadOnlyList<int>> { [5] = [1, 4] }),
            new DiceLoss(5, 1f),
            1f,
            float.Parse(meta["dice_weight"], System.Globalization.CultureInfo.InvariantCulture));

        var logits = model.Forward(fx["input"]);
        AssertClose(fx["logits"], logits, "logits");
        var l = loss.Forward(logits, labels);
        AssertClose(fx["loss"], l, "loss");
        l.Backward();
        foreach (var p in model.NamedParameters())
        {
            AssertClose(fx["grad." + p.Name], p.Grad!, "grad." + p.Name);
        }

        foreach (var (name, t) in model.StateDict().Where(kv => kv.Key.Contains("running", StringComparison.Ordinal)))
        {
            AssertClose(fx["running." + name], t, "running." + name);
        }

        var sgdArgs = JsonDocument.Parse(meta["sgd"]).RootElement;
        var sgdModel = WithGradients(options, fx, model);
        new Sgd(sgdModel.NamedParameters(), sgdArgs.GetProperty("lr").GetDouble(), sgdArgs.GetProperty("momentum").GetDouble(), sgdArgs.GetProperty("nesterov").GetBoolean(), sgdArgs.GetProperty("weight_decay").GetDouble()).Step();
        foreach (var p in sgdModel.NamedParameters())
        {
            AssertClose(fx["sgd." + p.Name], p.Value, "sgd." + p.Name);
        }

        var adamArgs = JsonDocument.Parse(meta["adamw"]).RootElement;
        var adamModel = WithGradients(options, fx, model);
        new AdamW(adamModel.NamedParameters(), adamArgs.GetProperty("lr").GetDouble(), weightDecay: adamArgs.GetProperty("weight_decay").GetDouble(), eps: adamArgs.GetProperty("eps").GetDouble()).Step();
        foreach (var p in adamModel.NamedParameters())
        {
            AssertClose(fx["adamw." + p.Name], p.Value, "adamw." + p.Name);
        }

        model.Eval();
        using (Autograd.NoGrad())
        {
            AssertClose(fx["eval_logits"], model.Forward(fx["input"]), "eval_logits");
        }
    }

    private static UNet Load(UNetOptions options, OrderedDictionary<string, Tensor> fx)
    {
        var model = new UNet(options, seed: 99);
        model.LoadStateDict(fx.Where(kv => kv.Key.StartsWith("init.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key[5..], kv => kv.Value));
        return model;
    }

    private static UNet WithGradients(UNetOptions options, OrderedDictionary<string, Tensor> fx, Module trained)
    {
        var model = Load(options, fx);
        var grads = trained.NamedParameters().ToDictionary(p => p.Name, p => p.Grad!);
        foreach (var p in model.NamedParameters())
        {
            p.Value.Grad = grads[p.Name].Detach();
        }

        return model;
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxErr = 0, maxRef = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            maxErr = Math.Max(maxErr, Math.Abs(expected.Data[i] - actual.Data[i]));
            maxRef = Math.Max(maxRef, Math.Abs(expected.Data[i]));
        }

        Assert.True(maxErr <= Tolerance * Math.Max(maxRef, 1e-6), $"{what}: max error {maxErr:E3} vs max |torch| {maxRef:E3} (relative {maxErr / maxRef:E3})");
    }
}
