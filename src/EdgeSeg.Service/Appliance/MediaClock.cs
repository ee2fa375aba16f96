namespace EdgeSeg.Service.Appliance;

/// <summary>
/// The time scene analysis uses for a video file's frames: the first frame's capture time plus the video's own
/// timestamps. Event durations (<c>StartAfterSeconds</c> and the like) are then seconds of video whether the file is
/// read at its own rate or as fast as it decodes. When the timestamps go back (the file looped), time goes on from
/// the previous frame by the last frame step. Frames without a stream timestamp keep their capture time. One per
/// source; not thread-safe (a source's frames arrive in order on one task).
/// </summary>
internal sealed class MediaClock
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
            return captured;
        }

        if (double.IsNaN(_lastMilliseconds))
        {
            _origin = captured - TimeSpan.FromMilliseconds(ms);
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
