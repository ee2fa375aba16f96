namespace EdgeSeg.Scene.Metrics;

/// <summary>Which lane boundaries were found. Only <see cref="Found"/> gives an offset and a width.</summary>
public enum LaneStatus
{
    /// <summary>Neither boundary was found.</summary>
    NotFound = 0,

    /// <summary>Only the left boundary was found.</summary>
    LeftOnly = 1,

    /// <summary>Only the right boundary was found.</summary>
    RightOnly = 2,

    /// <summary>Both boundaries were found and form a plausible lane.</summary>
    Found = 3,
}
