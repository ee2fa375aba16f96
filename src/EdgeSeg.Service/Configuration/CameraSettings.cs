namespace EdgeSeg.Service.Configuration;

/// <summary><c>Sources:N:Camera</c>: what to ask a V4L2 camera for (0 or empty: the camera's default).</summary>
internal sealed class CameraSettings
{
    /// <summary>Frame width in pixels, 0 for the camera's default.</summary>
    public int Width { get; init; }

    /// <summary>Frame height in pixels, 0 for the camera's default.</summary>
    public int Height { get; init; }

    /// <summary>Frames per second, 0 for the camera's default.</summary>
    public double Fps { get; init; }

    /// <summary>A four-character code such as <c>MJPG</c> or <c>YUYV</c>, null for the camera's default.</summary>
    public string? PixelFormat { get; init; }

    /// <summary>Reads and checks <paramref name="prefix"/> (<c>Sources:N:Camera</c>).</summary>
    public static CameraSettings Read(ConfigReader reader, string prefix)
    {
        reader.OnlyKnown(prefix, "Width", "Height", "Fps", "PixelFormat");
        var format = reader.String($"{prefix}:PixelFormat", null);
        if (format is not null && (format.Length != 4 || !format.All(c => c is >= ' ' and <= '~')))
        {
            reader.Fail($"{prefix}:PixelFormat", format, "must be a four-character code such as MJPG or YUYV");
            format = null;
        }

        return new CameraSettings
        {
            Width = reader.Int($"{prefix}:Width", 0, 0, 16384),
            Height = reader.Int($"{prefix}:Height", 0, 0, 16384),
            Fps = reader.Rate($"{prefix}:Fps", 0),
            PixelFormat = format,
        };
    }
}
