using System.Globalization;
using System.Text;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;

namespace EdgeSeg.Trainer.Datasets;

/// <summary>
/// Decodes and checks one sample: the image and mask exist and decode, the mask is single-channel, both have the
/// same size, and every mask value is a class of the dataset or its ignore label. Problems are reported, not thrown.
/// Thread-safe.
/// </summary>
internal static class SampleReader
{
    /// <summary>
    /// Reads <paramref name="stem"/> of <paramref name="dataset"/>, maps its mask through <paramref name="lookup"/>
    /// (from <see cref="LabelSpace.LookupFor"/>) and, when <paramref name="size"/> is given, resizes both to it.
    /// </summary>
    /// <returns>The sample, or null when a problem was added to <paramref name="problems"/>.</returns>
    public static Sample? Read(Dataset dataset, int datasetIndex, string stem, byte[] lookup, (int Width, int Height)? size, ICollection<DatasetProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(problems);
        var imagePath = dataset.ImagePath(stem);
        var maskPath = dataset.MaskPath(stem);
        var image = ReadFile(imagePath, ImageReadMode.Color, "image", problems, () =>
            $"image missing (looked for images/{stem} with {string.Join(", ", Dataset.ImageExtensions)})");
        var mask = ReadFile(maskPath, ImageReadMode.Unchanged, "mask", problems, () => $"mask missing (expected masks/{stem}.png)");
        if (mask is not null && mask.Channels != 1)
        {
            Add(problems, maskPath, $"mask has {mask.Channels} channels; a mask must be a single-channel 8-bit PNG of class indices "
                + "(convert colour-coded or palette masks to indices)");
            mask = null;
        }

        if (image is null || mask is null)
        {
            return null;
        }

        if (image.Width != mask.Width || image.Height != mask.Height)
        {
            Add(problems, maskPath, $"mask is {mask.Width}x{mask.Height} but its image {Path.GetFileName(imagePath)} is {image.Width}x{image.Height}");
            return null;
        }

        var labels = mask.Pixels.ToArray();
        if (LabelSpace.Apply(lookup, labels) >= 0)
        {
            Add(problems, maskPath, DescribeInvalid(dataset.Description, mask));
            return null;
        }

        if (size is { } s && (s.Width != image.Width || s.Height != image.Height))
        {
            var resized = new ImageBuffer(s.Width, s.Height, 3);
            var shrinking = s.Width <= image.Width && s.Height <= image.Height;
            CvImage.Resize(image, resized, shrinking ? ResizeInterpolation.Area : ResizeInterpolation.Linear);
            labels = LabelResize.Nearest(labels, image.Width, image.Height, s.Width, s.Height);
            image = resized;
        }

        return new Sample(image, labels, datasetIndex, stem);
    }

    private static ImageBuffer? ReadFile(string path, ImageReadMode mode, string what, ICollection<DatasetProblem> problems, Func<string> missing)
    {
        if (!File.Exists(path))
        {
            Add(problems, path, missing());
            return null;
        }

        try
        {
            return CvImage.Read(path, mode);
        }
        catch (OpenCvException e)
        {
            Add(problems, path, $"{what} cannot be decoded ({e.NativeMessage})");
            return null;
        }
        catch (IOException e)
        {
            Add(problems, path, $"{what} cannot be read ({e.Message})");
            return null;
        }
    }

    // Every offending value with its pixel count and first position, so one message says all that is wrong.
    private static string DescribeInvalid(DatasetDescription description, ImageBuffer mask)
    {
        var counts = new long[256];
        var first = new int[256];
        var pixels = mask.Pixels;
        for (var i = pixels.Length - 1; i >= 0; i--)
        {
            var v = pixels[i];
            if (!description.IsValidMaskValue(v))
            {
                counts[v]++;
                first[v] = i;
            }
        }

        var text = new StringBuilder("values outside the class list: ");
        var listed = 0;
        for (var v = 0; v < 256; v++)
        {
            if (counts[v] == 0)
            {
                continue;
            }

            if (listed++ > 0)
            {
                text.Append(", ");
            }

            text.Append(CultureInfo.InvariantCulture, $"{v} ({counts[v]} px, first at x={first[v] % mask.Width}, y={first[v] / mask.Width})");
        }

        text.Append(CultureInfo.InvariantCulture, $"; {description.Name} has classes 0..{description.SourceClasses.Count - 1}");
        text.Append(description.IgnoreLabel is { } ig ? string.Create(CultureInfo.InvariantCulture, $" and ignore label {ig}") : " and no ignore label");
        return text.ToString();
    }

    private static void Add(ICollection<DatasetProblem> problems, string file, string message)
    {
        lock (problems)
        {
            problems.Add(new DatasetProblem(file, message));
        }
    }
}
