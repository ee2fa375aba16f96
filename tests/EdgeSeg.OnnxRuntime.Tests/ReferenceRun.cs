using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>Runs the oracle: naive pre-processing, ONNX Runtime's raw output through our binding, naive decoding.</summary>
internal static class ReferenceRun
{
    public sealed record Result(byte[] Mask, bool[] Ambiguous, double[] Confidence);

    public static Result Segment(string modelPath, ModelCard card, ImageBuffer frame, bool nearest, double tieTolerance)
    {
        var naive = new NaiveSegmentation(card, frame.Width, frame.Height);
        var tensor = naive.Preprocess(frame);
        using var session = new OnnxRuntimeBackend().Open(modelPath, new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 });
        using var binding = session.Bind(card.Input.Name, [1, 3, naive.TensorHeight, naive.TensorWidth], [.. card.Outputs.Select(o => o.Name)]);
        if (binding.InputType == TensorElementType.Float16)
        {
            for (var i = 0; i < tensor.Length; i++)
            {
                binding.InputHalf[i] = (Half)tensor[i];
            }
        }
        else
        {
            for (var i = 0; i < tensor.Length; i++)
            {
                binding.InputFloat[i] = (float)tensor[i];
            }
        }

        binding.Run();
        var n = frame.Width * frame.Height;
        var mask = new byte[n];
        var ambiguous = new bool[n];
        var confidence = new double[n];
        for (var k = 0; k < card.Outputs.Count; k++)
        {
            var output = card.Outputs[k];
            var t = binding.GetOutput(k);
            var shape = t.Shape.ToArray();
            var oh = (int)shape[^2];
            var ow = (int)shape[^1];
            byte[] classes = new byte[n];
            var conf = new double[n];
            var amb = new bool[n];
            if (output.Kind == OutputKind.Labels)
            {
                var labels = naive.DecodeLabels(t.As<long>().ToArray(), oh, ow);
                for (var i = 0; i < n; i++)
                {
                    classes[i] = labels[i] >= 0 && labels[i] < output.Classes.Count ? NaiveSegmentation.ToAppliance(output, labels[i]) : (byte)0;
                    conf[i] = 1;
                }
            }
            else
            {
                var scores = t.ElementType == TensorElementType.Float16
                    ? t.As<Half>().ToArray().Select(h => (double)h).ToArray()
                    : t.As<float>().ToArray().Select(f => (double)f).ToArray();
                var (cls, margin, c) = naive.DecodeScores(scores, (int)shape[1], oh, ow, output.Kind == OutputKind.Probabilities, nearest);
                for (var i = 0; i < n; i++)
                {
                    classes[i] = NaiveSegmentation.ToAppliance(output, cls[i]);
                    conf[i] = c[i];
                    amb[i] = margin[i] < tieTolerance;
                }
            }

            for (var i = 0; i < n; i++)
            {
                if (k == 0 || naive.Rank(classes[i]) > naive.Rank(mask[i]))
                {
                    mask[i] = classes[i];
                    confidence[i] = conf[i];
                }

                ambiguous[i] |= amb[i];
            }
        }

        return new Result(mask, ambiguous, confidence);
    }
}
