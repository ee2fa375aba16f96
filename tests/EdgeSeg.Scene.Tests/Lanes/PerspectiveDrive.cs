using EdgeSeg.Core.Classes;

namespace EdgeSeg.Scene.Tests.Lanes;

/// <summary>
/// A minimal pinhole rendering of a straight road's lane markings as exact masks: a camera at a given lateral
/// position over a road whose lines are solid or dashed, with dashes passing as the car moves forward. Lateral
/// positions are metres, positive right; the camera looks along the road.
/// </summary>
internal sealed class PerspectiveDrive(int width, int height, double horizonRow, double focal, double mountHeight)
{
    public int Width { get; } = width;

    public int Height { get; } = height;

    /// <summary>Paints road, then every line at <paramref name="lines"/> seen from lateral <paramref name="cameraX"/> after <paramref name="travelled"/> metres.</summary>
    public byte[] Render(double cameraX, double travelled, IReadOnlyList<(double X, bool Dashed)> lines, double dash = 3, double period = 10, double paintWidth = 0.13)
    {
        var pixels = new byte[Width * Height];
        var cx = (Width - 1) / 2.0;
        for (var y = (int)Math.Ceiling(horizonRow + 1); y < Height; y++)
        {
            var row = pixels.AsSpan(y * Width, Width);
            row.Fill((byte)ApplianceClass.Road);
            var distance = focal * mountHeight / (y + 0.5 - horizonRow);
            foreach (var (x, dashed) in lines)
            {
                var s = travelled + distance;
                if (dashed && s % period >= dash)
                {
                    continue;
                }

                var left = cx + (focal * (x - cameraX - (paintWidth / 2)) / distance);
                var right = cx + (focal * (x - cameraX + (paintWidth / 2)) / distance);
                for (var px = Math.Max(0, (int)Math.Round(left)); px < Math.Min(Width, (int)Math.Round(right)); px++)
                {
                    row[px] = (byte)ApplianceClass.LaneMarking;
                }
            }
        }

        return pixels;
    }
}
