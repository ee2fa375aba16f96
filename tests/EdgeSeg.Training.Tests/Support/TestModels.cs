using EdgeSeg.Training.Models;

namespace EdgeSeg.Training.Tests.Support;

internal static class TestModels
{
    /// <summary>A small U-Net whose batch-norm parameters and running statistics are non-trivial (so folding matters).</summary>
    public static UNet Small(UpsamplingMode mode, int seed = 3, int depth = 2, int baseWidth = 4, int classes = 5)
    {
        var model = new UNet(new UNetOptions { Depth = depth, BaseWidth = baseWidth, Classes = classes, Upsampling = mode }, seed);
        var rng = new Random(seed + 100);
        foreach (var (name, t) in model.StateDict())
        {
            var d = t.Data;
            for (var i = 0; i < d.Length; i++)
            {
                if (name.EndsWith("running_var", StringComparison.Ordinal))
                {
                    d[i] = 0.5f + rng.NextSingle();
                }
                else if (name.EndsWith("running_mean", StringComparison.Ordinal) || (name.Contains(".bn", StringComparison.Ordinal) && name.EndsWith(".bias", StringComparison.Ordinal)) || name.StartsWith("ups", StringComparison.Ordinal) && name.EndsWith("bias", StringComparison.Ordinal) || name == "head.bias")
                {
                    d[i] = (rng.NextSingle() - 0.5f) * 0.4f;
                }
                else if (name.Contains(".bn", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal))
                {
                    d[i] = 0.5f + rng.NextSingle();
                }
            }
        }

        model.Eval();
        return model;
    }

    /// <summary>
    /// A <see cref="ResNetUNet"/> (the ImageNet file's 2-2-2-3 blocks unless given) with non-trivial batch-norm
    /// parameters and running statistics, in evaluation mode.
    /// </summary>
    public static ResNetUNet ResNet(int seed = 5, IReadOnlyList<int>? blocks = null, IReadOnlyList<int>? decoder = null)
    {
        var options = new ResNetUNetOptions { BlocksPerStage = blocks ?? [2, 2, 2, 3], Classes = 5 };
        var model = new ResNetUNet(decoder is null ? options : options with { DecoderChannels = decoder }, seed);
        var rng = new Random(seed + 100);
        foreach (var (name, t) in model.StateDict())
        {
            var d = t.Data;
            var isBn = name.Contains("bn", StringComparison.Ordinal);
            for (var i = 0; i < d.Length; i++)
            {
                if (name.EndsWith("running_var", StringComparison.Ordinal))
                {
                    d[i] = 0.5f + rng.NextSingle();
                }
                else if (name.EndsWith("running_mean", StringComparison.Ordinal) || (isBn && name.EndsWith(".bias", StringComparison.Ordinal)) || name == "head.bias")
                {
                    d[i] = (rng.NextSingle() - 0.5f) * 0.4f;
                }
                else if (isBn && name.EndsWith(".weight", StringComparison.Ordinal))
                {
                    d[i] = 0.5f + rng.NextSingle();
                }
            }
        }

        model.Eval();
        return model;
    }
}
