namespace EdgeSeg.Scene.Configuration;

/// <summary>A named zone: a simple polygon in normalised image coordinates whose class coverage is reported.</summary>
public sealed class ZoneOptions
{
    /// <summary>Creates an unnamed zone without vertices (configuration binding fills it).</summary>
    public ZoneOptions()
    {
    }

    /// <summary>Creates a zone named <paramref name="name"/> with the given vertices in order.</summary>
    public ZoneOptions(string name, params NormalizedPoint[] points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Name = name;
        foreach (var point in points)
        {
            Points.Add(point);
        }
    }

    /// <summary>The zone's name in the metrics document; unique, non-empty.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>At least three vertices in order (either winding); pixels whose centres fall inside (even-odd rule) belong to the zone.</summary>
    public IList<NormalizedPoint> Points { get; } = new List<NormalizedPoint>();
}
