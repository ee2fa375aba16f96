using EdgeSeg.Scene.Configuration;

namespace EdgeSeg.Scene.Analysis;

/// <summary>
/// Smoothed rate of change of one target's proximity across frames, and its time-to-contact.
/// On flat ground distance is inversely proportional to proximity (Z = k / p), so Z / (-dZ/dt) = p / (dp/dt):
/// the time-to-contact needs no calibration.
/// </summary>
internal sealed class ClosingRateEstimator
{
    private readonly ProximityOptions _options;
    private bool _has;
    private double _lastProximity;
    private DateTimeOffset _lastTime;
    private double? _rate;

    public ClosingRateEstimator(ProximityOptions options)
    {
        _options = options;
    }

    public void Reset()
    {
        _has = false;
        _rate = null;
    }

    /// <summary>Feeds this frame's proximity; returns the smoothed rate (null on a first or restarted frame) and time-to-contact.</summary>
    public (double? Rate, double? TimeToContact) Update(double proximity, DateTimeOffset timestamp)
    {
        if (_has)
        {
            var dt = (timestamp - _lastTime).TotalSeconds;
            if (dt <= 0 || dt > _options.MaxGapSeconds || Math.Abs(proximity - _lastProximity) > _options.MaxJump)
            {
                // A repeated or out-of-order timestamp, a long gap or a different nearest object: start over.
                _rate = null;
            }
            else
            {
                var instant = (proximity - _lastProximity) / dt;
                var alpha = 1 - Math.Exp(-dt / _options.SmoothingSeconds);
                _rate = _rate is { } previous ? previous + (alpha * (instant - previous)) : instant;
            }
        }

        _has = true;
        _lastProximity = proximity;
        _lastTime = timestamp;
        double? ttc = _rate is { } rate && rate >= _options.MinClosingRate && proximity > 0 ? proximity / rate : null;
        return (_rate, ttc);
    }
}
