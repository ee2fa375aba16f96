namespace EdgeSeg.Service.Trips;

/// <summary>What <c>edgeseg process</c> writes besides the metrics, events, summary and report.</summary>
/// <param name="SaveMasks">Every frame's class-index mask as <c>masks/NNNNNN.png</c>.</param>
/// <param name="OverlayVideo">The overlay of every frame as <c>overlay.mp4</c>.</param>
internal sealed record TripOptions(bool SaveMasks, bool OverlayVideo);
