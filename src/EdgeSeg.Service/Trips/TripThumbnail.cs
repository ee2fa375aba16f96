using EdgeSeg.Scene.Events;

namespace EdgeSeg.Service.Trips;

/// <summary>The overlay (class colours over the frame) of the frame an event started on, scaled down, as JPEG.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Type">The event's type.</param>
/// <param name="Frame">The frame's index.</param>
/// <param name="Time">The frame's scene time.</param>
/// <param name="Jpeg">The JPEG bytes.</param>
internal sealed record TripThumbnail(Guid EventId, SceneEventType Type, long Frame, DateTimeOffset Time, byte[] Jpeg);
