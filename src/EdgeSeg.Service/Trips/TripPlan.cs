namespace EdgeSeg.Service.Trips;

/// <summary>One input file of <c>edgeseg process</c> and where its trip goes.</summary>
/// <param name="Id">The trip's name: the file's stem. Also the source id in its metrics and events, and its folder's name.</param>
/// <param name="Input">The video file (full path).</param>
/// <param name="Directory">The finished trip's folder, <c>OUT/&lt;stem&gt;</c>.</param>
/// <param name="Origin">The time of the video's timestamp 0: the file's modification time (UTC).</param>
internal sealed record TripPlan(string Id, string Input, string Directory, DateTimeOffset Origin)
{
    /// <summary>Where the trip is written until it is complete: a hidden sibling, renamed to <see cref="Directory"/> at the end.</summary>
    public string PartialDirectory => Path.Combine(Path.GetDirectoryName(Directory)!, "." + Id + ".partial");

    /// <summary>Frames the container declares (an estimate for progress; 0 when unknown).</summary>
    public long DeclaredFrames { get; init; }

    /// <summary>The file's frame rate (for the overlay video; 0 when unknown).</summary>
    public double Fps { get; init; }
}
