using System.Diagnostics;
using EdgeSeg.Trainer.Datasets;

namespace EdgeSeg.Trainer.Augmentation;

/// <summary>
/// Makes fixed-size training crops from samples: random scale and crop, horizontal flip (one geometric mapping shared
/// by image and labels, so they stay aligned), then colour jitter, blur and noise on the image only. Labels are
/// sampled nearest-neighbour, never blended; pixels outside the scaled sample are padding: black in the image,
/// <see cref="LabelSpace.Ignore"/> in the labels. Thread-safe: holds no mutable state.
/// </summary>
internal sealed partial class Augmenter
{
    /// <summary>Creates an augmenter producing <paramref name="cropWidth"/> x <paramref name="cropHeight"/> crops.</summary>
    public Augmenter(AugmentationOptions options, int cropWidth, int cropHeight)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropHeight);
        Options = options;
        CropWidth = cropWidth;
        CropHeight = cropHeight;
    }

    /// <summary>The options.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>Output width.</summary>
    public int CropWidth { get; }

    /// <summary>Output height.</summary>
    public int CropHeight { get; }

    /// <summary>Draws every random choice for one sample, always the same number of draws in the same order.</summary>
    public AugmentationParameters Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var o = Options;
        var scale = o.MinScale + (random.NextDouble() * (o.MaxScale - o.MinScale));
        var offsetX = random.NextDouble();
        var offsetY = random.NextDouble();
        var flip = random.NextDouble() < 0.5;
        var brightness = 1 + (((random.NextDouble() * 2) - 1) * o.Brightness);
        var contrast = 1 + (((random.NextDouble() * 2) - 1) * o.Contrast);
        var saturation = 1 + (((random.NextDouble() * 2) - 1) * o.Saturation);
        var blur = random.NextDouble() < o.BlurProbability;
        var noise = random.NextDouble() < o.NoiseProbability;
        var noiseSeed = random.Next();
        return new AugmentationParameters(scale, offsetX, offsetY, flip && o.HorizontalFlip, brightness, contrast, saturation, blur, noise, noiseSeed);
    }

    /// <summary>
    /// Writes the augmented crop of <paramref name="sample"/> into <paramref name="image"/> (crop width x height x 3,
    /// BGR) and <paramref name="labels"/> (crop width x height codes).
    /// </summary>
    public void Apply(Sample sample, in AugmentationParameters p, Span<byte> image, Span<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var cw = CropWidth;
        var ch = CropHeight;
        if (image.Length != cw * ch * 3 || labels.Length != cw * ch)
        {
            throw new ArgumentException($"Crop buffers must hold {cw}x{ch}x3 image bytes and {cw}x{ch} labels.", nameof(image));
        }

        if (sample.Image.Channels != 3)
        {
            throw new ArgumentException($"Sample {sample.Stem} has {sample.Image.Channels} channels; training images are BGR.", nameof(sample));
        }

        Geometry(sample, p, image, labels);
        if (p.Brightness != 1 || p.Contrast != 1 || p.Saturation != 1)
        {
            Jitter(image, p.Brightness, p.Contrast, p.Saturation);
        }

        if (p.Blur)
        {
            Blur(image, cw, ch);
        }

        if (p.Noise)
        {
            AddNoise(image, Options.NoiseSigma, p.NoiseSeed);
        }
    }

    // One inverse mapping from output pixel to source position, used by both image (bilinear) and labels (nearest).
    private void Geometry(Sample sample, in AugmentationParameters p, Span<byte> image, Span<byte> labels)
    {
        var w = sample.Width;
        var h = sample.Height;
        var cw = CropWidth;
        var ch = CropHeight;
        var sw = Math.Max(1, (int)Math.Round(w * p.Scale));
        var sh = Math.Max(1, (int)Math.Round(h * p.Scale));
        var ox = Origin(sw, cw, p.OffsetX);
        var oy = Origin(sh, ch, p.OffsetY);

        // Source step per scaled pixel; the same ratio for image and labels keeps them aligned.
        var rx = (double)w / sw;
        var ry = (double)h / sh;
        var src = sample.Image.Data;
        var srcLabels = sample.Labels;
        var stride = w * 3;

        // Per output column: the scaled column, its nearest source column and its bilinear pair and weight.
        Span<int> nearestX = cw <= 4096 ? stackalloc int[cw] : new int[cw];
        Span<int> x0 = cw <= 4096 ? stackalloc int[cw] : new int[cw];
        Span<float> fx = cw <= 4096 ? stackalloc float[cw] : new float[cw];
        for (var x = 0; x < cw; x++)
        {
            var scaledX = (p.Flip ? cw - 1 - x : x) + ox;
            if ((uint)scaledX >= (uint)sw)
            {
                nearestX[x] = -1;
                continue;
            }

            var centre = (scaledX + 0.5) * rx;
            nearestX[x] = Math.Min(w - 1, (int)centre);
            var sx = Math.Clamp(centre - 0.5, 0, w - 1);
            x0[x] = Math.Min((int)sx, w - 2 < 0 ? 0 : w - 2);
            fx[x] = (float)(sx - x0[x]);
        }

        for (var y = 0; y < ch; y++)
        {
            var outRow = image.Slice(y * cw * 3, cw * 3);
            var outLabels = labels.Slice(y * cw, cw);
            var scaledY = y + oy;
            if ((uint)scaledY >= (uint)sh)
            {
                outRow.Clear();
                outLabels.Fill(LabelSpace.Ignore);
                continue;
            }

            var centreY = (scaledY + 0.5) * ry;
            var nearestY = Math.Min(h - 1, (int)centreY);
            var sy = Math.Clamp(centreY - 0.5, 0, h - 1);
            var y0 = Math.Min((int)sy, Math.Max(0, h - 2));
            var y1 = Math.Min(y0 + 1, h - 1);
            var fy = (float)(sy - y0);
            var row0 = y0 * stride;
            var row1 = y1 * stride;
            var labelRow = nearestY * w;
            for (var x = 0; x < cw; x++)
            {
                var nx = nearestX[x];
                if (nx < 0)
                {
                    outRow.Slice(x * 3, 3).Clear();
                    outLabels[x] = LabelSpace.Ignore;
                    continue;
                }

                outLabels[x] = srcLabels[labelRow + nx];
                var a = x0[x];
                var b = Math.Min(a + 1, w - 1);
                var wx = fx[x];
                for (var c = 0; c < 3; c++)
                {
                    var top = src[row0 + (a * 3) + c] + ((src[row0 + (b * 3) + c] - src[row0 + (a * 3) + c]) * wx);
                    var bottom = src[row1 + (a * 3) + c] + ((src[row1 + (b * 3) + c] - src[row1 + (a * 3) + c]) * wx);
                    var v = top + ((bottom - top) * fy);
                    Debug.Assert(v is >= -0.01f and <= 255.01f, "Bilinear interpolation stays within its inputs.");
                    outRow[(x * 3) + c] = (byte)(v + 0.5f);
                }
            }
        }
    }

    // Where the crop starts in the scaled sample: inside it when it is larger than the crop, else a negative
    // offset that places the smaller sample somewhere inside the crop (the rest is padding).
    private static int Origin(int scaled, int crop, double position)
    {
        var free = Math.Abs(scaled - crop);
        var shift = Math.Min(free, (int)(position * (free + 1)));
        return scaled >= crop ? shift : -shift;
    }
}
