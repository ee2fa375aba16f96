using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Geometry;
using EdgeSeg.Scene.Tests.Support;

namespace EdgeSeg.Scene.Tests.Geometry;

public class PolygonRasterizerTests
{
    [Theory]
    [InlineData(1, 7, 5)]
    [InlineData(2, 64, 48)]
    [InlineData(3, 97, 131)]
    [InlineData(4, 320, 180)]
    public void Rasterize_RandomPolygons_MatchRayCastingOracle(int seed, int width, int height)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 20; trial++)
        {
            // Random simple and self-intersecting polygons, vertices on and off pixel centres.
            var n = random.Next(3, 9);
            var points = Enumerable.Range(0, n)
                .Select(_ => random.Next(3) == 0
                    ? new NormalizedPoint(random.Next(width + 1) / (double)width, random.Next(height + 1) / (double)height)
                    : new NormalizedPoint(random.NextDouble(), random.NextDouble()))
                .ToArray();
            var spans = PolygonRasterizer.Rasterize(points, width, height);
            var polygon = points.Select(p => (p.X * width, p.Y * height)).ToArray();

            for (var y = 0; y < height; y++)
            {
                spans.Row(y, out var starts, out var ends);
                var inside = new bool[width];
                for (var k = 0; k < starts.Length; k++)
                {
                    Assert.True(starts[k] < ends[k]);
                    Assert.True(k == 0 || starts[k] > ends[k - 1]);
                    for (var x = starts[k]; x < ends[k]; x++)
                    {
                        inside[x] = true;
                    }
                }

                for (var x = 0; x < width; x++)
                {
                    Assert.True(
                        MaskPainter.Inside(polygon, x + 0.5, y + 0.5) == inside[x],
                        $"trial {trial}, pixel ({x}, {y})");
                }
            }
        }
    }

    [Fact]
    public void Rasterize_ZonesSharingAnEdge_ShareNoPixelAndCoverTheFrame()
    {
        var zones = SceneOptions.CreateDefaultZones();
        var areas = zones.Select(z => PolygonRasterizer.Rasterize([.. z.Points], 1280, 720).Area).ToArray();
        Assert.Equal([427 * 360, 426 * 360, 427 * 360], areas);
        Assert.Equal(1280 * 360, areas.Sum());
    }
}
