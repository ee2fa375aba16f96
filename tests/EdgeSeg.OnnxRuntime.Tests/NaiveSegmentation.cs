using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>
/// The independent oracle: pre-processing, upsampling and arg-max written the obvious way in double precision from
/// the card's definition (half-pixel bilinear sampling, letterbox centring, pad-to-multiple), with ONNX Runtime's raw
/// output in between. Slow and simple on purpose.
/// </summary>
internal sealed class NaiveSegmentation
{
    private readonly ModelCard _card;
    private readonly int _width;
    private readonly int _height;

    public NaiveSegmentation(ModelCard card, int width, int height)
    {
        _card = card;
        _width = width;
        _height = height;
        var input = card.Input;
        if (input.Width is null)
        {
            var m = input.MultipleOf!.Value;
            TensorWidth = (int)Math.Ceiling(width / (double)m) * m;
            TensorHeight = (int)Math.Ceiling(height / (double)m) * m;
            (ContentX, ContentY, ContentWidth, ContentHeight) = (0, 0, width, height);
        }
        else
        {
            TensorWidth = input.Width.Value;
            TensorHeight = input.Height!.Value;
            if (input.Resize == ResizePolicy.Letterbox)
            {
                var s = Math.Min(TensorWidth / (double)width, TensorHeight / (double)height);
                ContentWidth = (int)Math.Round(width * s);
                ContentHeight = (int)Math.Round(height * s);
                ContentX = (TensorWidth - ContentWidth) / 2;
                ContentY = (TensorHeight - ContentHeight) / 2;
            }
            else
            {
                (ContentX, ContentY, ContentWidth, ContentHeight) = (0, 0, TensorWidth, TensorHeight);
            }
        }
    }

    public int TensorWidth { get; }

    public int TensorHeight { get; }

    public int ContentX { get; }

    public int ContentY { get; }

    public int ContentWidth { get; }

    public int ContentHeight { get; }

    /// <summary>The input tensor, 3 x TensorHeight x TensorWidth, in double.</summary>
    public double[] Preprocess(ImageBuffer frame)
    {
        var input = _card.Input;
        var t = new double[3 * TensorWidth * TensorHeight];
        for (var c = 0; c < 3; c++)
        {
            var source = input.ColorOrder == ColorOrder.Bgr ? c : 2 - c;
            for (var ty = 0; ty < TensorHeight; ty++)
            {
                for (var tx = 0; tx < TensorWidth; tx++)
                {
                    double p;
                    if (tx < ContentX || tx >= ContentX + ContentWidth || ty < ContentY || ty >= ContentY + ContentHeight)
                    {
                        p = input.PadValue;
                    }
                    else
                    {
                        var sx = Clamp(((tx - ContentX + 0.5) * _width / ContentWidth) - 0.5, _width);
                        var sy = Clamp(((ty - ContentY + 0.5) * _height / ContentHeight) - 0.5, _height);
                        p = Bilinear((x, y) => frame.Data[(((y * _width) + x) * 3) + source], sx, sy, _width, _height);
                    }

                    t[(((c * TensorHeight) + ty) * TensorWidth) + tx] = ((p / 255.0) - input.Mean[c]) / input.Std[c];
                }
            }
        }

        return t;
    }

    /// <summary>
    /// Per frame pixel: the model class of the highest upsampled score, the gap to the runner-up and the softmax maximum
    /// (or the probability) of one scores output (C x oh x ow, row-major).
    /// </summary>
    public (int[] Class, double[] Margin, double[] Confidence) DecodeScores(double[] scores, int classes, int oh, int ow, bool probabilities, bool nearest)
    {
        var n = _width * _height;
        var cls = new int[n];
        var margin = new double[n];
        var conf = new double[n];
        var v = new double[classes];
        for (var y = 0; y < _height; y++)
        {
            var oy = Clamp(((ContentY + ((y + 0.5) * ContentHeight / _height)) * oh / TensorHeight) - 0.5, oh);
            for (var x = 0; x < _width; x++)
            {
                var ox = Clamp(((ContentX + ((x + 0.5) * ContentWidth / _width)) * ow / TensorWidth) - 0.5, ow);
                for (var c = 0; c < classes; c++)
                {
                    var plane = c * oh * ow;
                    v[c] = nearest
                        ? scores[plane + (Math.Min((int)Math.Floor(oy + 0.5), oh - 1) * ow) + Math.Min((int)Math.Floor(ox + 0.5), ow - 1)]
                        : Bilinear((xx, yy) => scores[plane + (yy * ow) + xx], ox, oy, ow, oh);
                }

                var best = 0;
                for (var c = 1; c < classes; c++)
                {
                    if (v[c] > v[best])
                    {
                        best = c;
                    }
                }

                var second = double.NegativeInfinity;
                for (var c = 0; c < classes; c++)
                {
                    if (c != best)
                    {
                        second = Math.Max(second, v[c]);
                    }
                }

                var i = (y * _width) + x;
                cls[i] = best;
                margin[i] = v[best] - second;
                conf[i] = probabilities ? v[best] : 1.0 / v.Sum(s => Math.Exp(s - v[best]));
            }
        }

        return (cls, margin, conf);
    }

    /// <summary>Labels (oh x ow) sampled nearest-neighbour to the frame.</summary>
    public int[] DecodeLabels(long[] labels, int oh, int ow)
    {
        var cls = new int[_width * _height];
        for (var y = 0; y < _height; y++)
        {
            var oy = Clamp(((ContentY + ((y + 0.5) * ContentHeight / _height)) * oh / TensorHeight) - 0.5, oh);
            for (var x = 0; x < _width; x++)
            {
                var ox = Clamp(((ContentX + ((x + 0.5) * ContentWidth / _width)) * ow / TensorWidth) - 0.5, ow);
                cls[(y * _width) + x] = (int)labels[(Math.Min((int)Math.Floor(oy + 0.5), oh - 1) * ow) + Math.Min((int)Math.Floor(ox + 0.5), ow - 1)];
            }
        }

        return cls;
    }

    /// <summary>The appliance class of a model class under the card's output entry.</summary>
    public static byte ToAppliance(ModelCardOutput output, int modelClass) => (byte)output.ApplianceClassOf(modelClass);

    private static double Clamp(double v, int length) => Math.Clamp(v, 0, length - 1);

    private static double Bilinear(Func<int, int, double> at, double x, double y, int width, int height)
    {
        var x0 = (int)Math.Floor(x);
        var y0 = (int)Math.Floor(y);
        var x1 = Math.Min(x0 + 1, width - 1);
        var y1 = Math.Min(y0 + 1, height - 1);
        var fx = x - x0;
        var fy = y - y0;
        return ((1 - fy) * (((1 - fx) * at(x0, y0)) + (fx * at(x1, y0)))) + (fy * (((1 - fx) * at(x0, y1)) + (fx * at(x1, y1))));
    }

    /// <summary>Rank of an appliance class under the card's precedence (higher wins, background lowest).</summary>
    public int Rank(byte cls)
    {
        if (cls == 0)
        {
            return 0;
        }

        var i = _card.Precedence.ToList().IndexOf((ApplianceClass)cls);
        return i < 0 ? 1 : 100 - i;
    }
}
