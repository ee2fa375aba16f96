namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The time scene analysis uses for a video file's frames: the first frame's capture time (or a fixed origin, for a
/// recorded drive: <c>edgeseg process</c>) plus the video's own timestamps. Event durations (<c>StartAfterSeconds</c>
/// and the like) are then seconds of video whether the file is read at its own rate or as fast as it decodes. When the timestamps go back (the file looped), time goes on from
/// the previous frame by the last frame step; so does a frame without a stream timestamp after frames with one. Frames
/// without a stream timestamp before any with one keep their capture time (or the origin). One per source; not
/// thread-safe (a source's frames arrive in order on one task).
/// </summary>
/// <param name="origin">The time of the video's timestamp 0; null: the first frame's capture time less its timestamp.</param>
internal sealed class MediaClock(DateTimeOffset? origin = null)
{
    private DateTimeOffset _origin;
    private DateTimeOffset _last;
    private TimeSpan _step;
    private double _lastMilliseconds = double.NaN;

    /// <summary>The scene time of the next frame.</summary>
    /// <param name="captured">When the frame was captured (wall clock).</param>
    /// <param name="streamMilliseconds">The frame's timestamp in the video, when it has one.</param>
    public DateTimeOffset Next(DateTimeOffset captured, double? streamMilliseconds)
    {
        if (streamMilliseconds is not { } ms)
        {
            if (double.IsNaN(_lastMilliseconds))
            {
                return origin ?? captured;
            }

            // A frame without a timestamp in a video whose earlier frames had them (FFmpeg gives none for the last
            // frames it flushes out of an H.264 decoder): one frame step on, not the wall clock.
            ms = _lastMilliseconds + (_step > TimeSpan.Zero ? _step.TotalMilliseconds : 1);
        }

        if (double.IsNaN(_lastMilliseconds))
        {
            // With a fixed origin, time is the origin plus the video's own timestamp: the same on every run of the file.
            _origin = origin ?? (captured - TimeSpan.FromMilliseconds(ms));
        }
        else if (ms <= _lastMilliseconds)
        {
            // A loop (or a repeated timestamp): continue one step after the previous frame.
            var step = _step > TimeSpan.Zero ? _step : TimeSpan.FromMilliseconds(1);
            _origin = _last + step - TimeSpan.FromMilliseconds(ms);
        }

        var time = _origin + TimeSpan.FromMilliseconds(ms);
        if (!double.IsNaN(_lastMilliseconds) && time > _last)
        {
            _step = time - _last;
        }

        _last = time;
        _lastMilliseconds = ms;
        return time;
    }
}
