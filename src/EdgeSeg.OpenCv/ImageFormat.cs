namespace EdgeSeg.OpenCv;

/// <summary>Encoded image formats.</summary>
public enum ImageFormat
{
    /// <summary>PNG, lossless; 1-channel images stay 8-bit single channel.</summary>
    Png = 0,

    /// <summary>JPEG, lossy.</summary>
    Jpeg = 1,
}
