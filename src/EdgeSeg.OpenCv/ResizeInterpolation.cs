namespace EdgeSeg.OpenCv;

/// <summary>Interpolation for <see cref="CvImage.Resize"/>.</summary>
public enum ResizeInterpolation
{
    /// <summary>Nearest neighbour: the only choice for class-index masks.</summary>
    Nearest = 0,

    /// <summary>Bilinear.</summary>
    Linear = 1,

    /// <summary>Pixel-area averaging: best for shrinking photographs.</summary>
    Area = 2,
}
