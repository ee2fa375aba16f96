namespace EdgeSeg.OpenCv;

/// <summary>How <see cref="CvImage.Read"/> and <see cref="CvImage.Decode"/> convert what they read.</summary>
public enum ImageReadMode
{
    /// <summary>Always 3-channel BGR (grey images are expanded, alpha is dropped).</summary>
    Color = 0,

    /// <summary>Always 1 channel: grey images as they are, colour images converted to grey.</summary>
    Grayscale = 1,

    /// <summary>
    /// As stored, 8-bit only: a single-channel file (a class-index mask) stays 1 channel with its values untouched,
    /// colour stays 3 channels, colour with alpha 4. A 16-bit file is an error.
    /// </summary>
    Unchanged = 2,
}
