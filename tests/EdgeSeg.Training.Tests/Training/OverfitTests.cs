using System.Text.Json;
using EdgeSeg.OpenCv;
using EdgeSeg.TestSupport;
using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Kernels;

namespace EdgeSeg.Training.Tests.Training;

/// <summary>The whole engine end to end: a tiny U-Net memorises four real CamVid frames (decoded by our OpenCV binding).</summary>
[Collection(nameof(EngineStateGroup))]
public class OverfitTests
{
    private const int Factor = 8;

    [SharedDataFact]
    public void UNet_FourRealFrames_OverfitsToPixelAccuracyAbove95Percent()
    {
        var (x, labels) = LoadBatch(RepoPaths.RequireSharedData());
        var threads = EngineThreads.Count;
        EngineThreads.Count = 2;
        try
        {
            var model = new UNet(new UNetOptions { Depth = 3, BaseWidth = 8, Classes = 5 }, seed: 42);
            var opt = new AdamW(model.NamedParameters(), 0.02, weightDecay: 0);
            var loss = new SegmentationLoss(new CrossEntropyLoss(5), new DiceLoss(5), 1f, 0.5f);
            var accuracy = 0.0;
            for (var step = 0; step < 400 && accuracy < 0.95; step++)
            {
                model.Train();
                opt.ZeroGrad();
                loss.Forward(model.Forward(x), labels).Backward();
                opt.Step();
                if (step % 20 == 19)
                {
                    accuracy = Accuracy(model, x, labels);
                }
            }

            Assert.True(accuracy >= 0.95, $"pixel accuracy {accuracy:P2} after training");
        }
        finally
        {
            EngineThreads.Count = threads;
        }
    }

    private static double Accuracy(UNet model, Tensor x, byte[] labels)
    {
        model.Eval();
        Tensor logits;
        using (Autograd.NoGrad())
        {
            logits = model.Forward(x);
        }

        int n = logits.Dim(0), k = logits.Dim(1), plane = logits.Dim(2) * logits.Dim(3);
        var correct = 0;
        for (var b = 0; b < n; b++)
        {
            for (var p = 0; p < plane; p++)
            {
                var best = 0;
                for (var c = 1; c < k; c++)
                {
                    if (logits.Data[(((b * k) + c) * plane) + p] > logits.Data[(((b * k) + best) * plane) + p])
                    {
                        best = c;
                    }
                }

                correct += best == labels[(b * plane) + p] ? 1 : 0;
            }
        }

        return (double)correct / labels.Length;
    }

    private static (Tensor X, byte[] Labels) LoadBatch(string shared)
    {
        var root = Path.Combine(shared, "camvid");
        var map = new byte[256];
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "classes.json"))))
        {
            foreach (var e in doc.RootElement.GetProperty("proposed_mapping").EnumerateArray())
            {
                map[e.GetProperty("source_index").GetInt32()] = (byte)e.GetProperty("appliance_index").GetInt32();
            }
        }

        var stems = File.ReadAllLines(Path.Combine(root, "train.txt")).Where(l => l.Length > 0).ToArray();
        var chosen = new[] { stems[0], stems[stems.Length / 3], stems[2 * stems.Length / 3], stems[^1] };
        Tensor? x = null;
        byte[]? labels = null;
        for (var i = 0; i < chosen.Length; i++)
        {
            var image = CvImage.Read(Path.Combine(root, "images", chosen[i] + ".jpg"));
            var mask = CvImage.Read(Path.Combine(root, "masks", chosen[i] + ".png"), ImageReadMode.Grayscale);
            int h = image.Height / Factor, w = image.Width / Factor, plane = h * w;
            x ??= new Tensor(chosen.Length, 3, h, w);
            labels ??= new byte[chosen.Length * plane];
            for (var y = 0; y < h; y++)
            {
                for (var q = 0; q < w; q++)
                {
                    // Box average of each Factor x Factor block; label of the block's centre pixel.
                    for (var c = 0; c < 3; c++)
                    {
                        var s = 0;
                        for (var dy = 0; dy < Factor; dy++)
                        {
                            var row = image.Row((y * Factor) + dy);
                            for (var dx = 0; dx < Factor; dx++)
                            {
                                s += row[(((q * Factor) + dx) * 3) + c];
                            }
                        }

                        x.Data[(((i * 3) + c) * plane) + (y * w) + q] = (s / (255f * Factor * Factor)) - 0.5f;
                    }

                    labels[(i * plane) + (y * w) + q] = map[mask.Row((y * Factor) + (Factor / 2))[(q * Factor) + (Factor / 2)]];
                }
            }
        }

        return (x!, labels!);
    }
}
