namespace EdgeSeg.Trainer.Augmentation;

/// <content>Colour jitter, blur and noise: image only, the labels are never touched.</content>
internal sealed partial class Augmenter
{
    // Brightness, contrast (around the crop's mean grey) and saturation (away from each pixel's grey) in one pass.
    // Each output pixel depends only on its own colour and the crop's mean, so equal colours stay equal.
    private static void Jitter(Span<byte> image, double brightness, double contrast, double saturation)
    {
        double sum = 0;
        for (var i = 0; i < image.Length; i += 3)
        {
            sum += Grey(image[i], image[i + 1], image[i + 2]);
        }

        var mean = (float)(sum / (image.Length / 3) * brightness);
        var b = (float)brightness;
        var c = (float)contrast;
        var s = (float)saturation;
        for (var i = 0; i < image.Length; i += 3)
        {
            var blue = image[i] * b;
            var green = image[i + 1] * b;
            var red = image[i + 2] * b;
            blue = ((blue - mean) * c) + mean;
            green = ((green - mean) * c) + mean;
            red = ((red - mean) * c) + mean;
            var grey = Grey(blue, green, red);
            image[i] = ToByte(grey + ((blue - grey) * s));
            image[i + 1] = ToByte(grey + ((green - grey) * s));
            image[i + 2] = ToByte(grey + ((red - grey) * s));
        }
    }

    // 3x3 binomial (1 2 1) blur, separable, edges clamped.
    private static void Blur(Span<byte> image, int width, int height)
    {
        var stride = width * 3;
        var horizontal = new float[image.Length];
        for (var y = 0; y < height; y++)
        {
            var row = y * stride;
            for (var x = 0; x < width; x++)
            {
                var left = row + (Math.Max(0, x - 1) * 3);
                var mid = row + (x * 3);
                var right = row + (Math.Min(width - 1, x + 1) * 3);
                for (var c = 0; c < 3; c++)
                {
                    horizontal[mid + c] = (image[left + c] + (2f * image[mid + c]) + image[right + c]) * 0.25f;
                }
            }
        }

        for (var y = 0; y < height; y++)
        {
            var up = Math.Max(0, y - 1) * stride;
            var mid = y * stride;
            var down = Math.Min(height - 1, y + 1) * stride;
            for (var i = 0; i < stride; i++)
            {
                image[mid + i] = ToByte((horizontal[up + i] + (2f * horizontal[mid + i]) + horizontal[down + i]) * 0.25f);
            }
        }
    }

    private static void AddNoise(Span<byte> image, double sigma, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < image.Length; i++)
        {
            // Box-Muller; one normal per byte is plenty for augmentation.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var n = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            image[i] = ToByte((float)(image[i] + (n * sigma)));
        }
    }

    private static float Grey(float blue, float green, float red) => (0.114f * blue) + (0.587f * green) + (0.299f * red);

    private static byte ToByte(float v) => (byte)Math.Clamp(v + 0.5f, 0f, 255f);
}
