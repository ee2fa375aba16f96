using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.OpenCv;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Renders a still-image dataset: <c>images/&lt;stem&gt;.jpg</c> (JPEG through OpenCV, quality <see cref="JpegQuality"/>),
/// <c>masks/&lt;stem&gt;.png</c>, the split lists and classes.json under one folder. Images are rendered in parallel;
/// each depends only on (seed, index).
/// </summary>
internal static class DatasetRenderer
{
    /// <summary>Quality of the JPEG files (stronger compression, when a scene has it, is applied before writing).</summary>
    public const int JpegQuality = 94;

    /// <summary>Renders <paramref name="count"/> scenes into <paramref name="directory"/> (created; existing files replaced).</summary>
    /// <remarks><paramref name="onImage"/> is called after each image is written, from worker threads.</remarks>
    public static void Render(string directory, int count, int width, int height, ulong seed, int threads, Action? onImage = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        var images = Path.Combine(directory, "images");
        var masks = Path.Combine(directory, "masks");
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(masks);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, index =>
        {
            var (image, mask) = RenderOne(seed, index, width, height);
            var stem = SyntheticDataset.Stem(index);
            CvImage.Write(Path.Combine(images, stem + ".jpg"), image, JpegQuality);
            PngWriter.WriteMask(Path.Combine(masks, stem + ".png"), mask);
            onImage?.Invoke();
        });
        SyntheticDataset.WriteSplits(directory, count);
        SyntheticDataset.WriteClassesJson(directory, "procedural dashcam scenes (stills)", seed, width, height);
    }

    /// <summary>Renders dataset image <paramref name="index"/> without writing it; the caller owns both results.</summary>
    public static (ImageBuffer Image, Mask Mask) RenderOne(ulong seed, int index, int width, int height)
    {
        var image = new ImageBuffer(width, height, 3);
        var mask = new Mask(width, height);
        SceneRenderer.Render(StillSceneGenerator.Create(seed, index, width, height), image, mask);
        return (image, mask);
    }
}
