using EdgeSeg.Scene.Configuration;

namespace EdgeSeg.Scene.Analysis;

/// <summary>
/// Maps an image row to proximity and, with a calibration, to a flat-ground distance. Rows are in pixel-edge
/// coordinates: an object whose bottom pixel row is r has its ground contact at row r + 1.
/// </summary>
internal sealed class GroundModel
{
    private readonly double _horizonRow;
    private readonly int _height;
    private readonly double _focal;
    private readonly double _pitch;
    private readonly double _mountingHeight;
    private readonly bool _calibrated;

    public GroundModel(SceneOptions options, int width, int height)
    {
        _height = height;
        if (options.Calibration is { } calibration)
        {
            _calibrated = true;
            _mountingHeight = calibration.MountingHeightMetres;
            _focal = calibration.FocalLengthPixels
                ?? (width / 2.0 / Math.Tan(calibration.HorizontalFovDegrees!.Value * Math.PI / 360.0));
            var centreRow = height / 2.0;
            if (calibration.HorizonY is { } horizonY)
            {
                _horizonRow = horizonY * height;
                _pitch = Math.Atan((centreRow - _horizonRow) / _focal);
            }
            else
            {
                _pitch = calibration.PitchDegrees!.Value * Math.PI / 180.0;
                _horizonRow = centreRow - (_focal * Math.Tan(_pitch));
            }
        }
        else
        {
            _horizonRow = options.Proximity.HorizonY * height;
        }
    }

    /// <summary>The horizon row (pixel-edge coordinates).</summary>
    public double HorizonRow => _horizonRow;

    /// <summary>0 at the horizon, 1 at the frame's bottom edge, clamped to [0, 1].</summary>
    public double Proximity(double edgeRow)
    {
        var span = _height - _horizonRow;
        return span <= 0 ? 0 : Math.Clamp((edgeRow - _horizonRow) / span, 0, 1);
    }

    /// <summary>Flat-ground distance in metres to a point on row <paramref name="edgeRow"/>; null uncalibrated or at/above the horizon.</summary>
    public double? DistanceMetres(double edgeRow)
    {
        if (!_calibrated)
        {
            return null;
        }

        var angleBelowHorizontal = _pitch + Math.Atan((edgeRow - (_height / 2.0)) / _focal);
        return angleBelowHorizontal > 1e-9 ? _mountingHeight / Math.Tan(angleBelowHorizontal) : null;
    }
}
