using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Scene.Analysis;

/// <summary>
/// Fits the ego lane's left and right boundaries as image lines x = a + b y from lane-marking runs in the lower part
/// of the frame. Each row contributes the centres of its (at most <see cref="PointsPerRowPerSide"/>) markings
/// nearest the camera column on each side. RANSAC with a fixed seed proposes lines; among those with enough
/// support the innermost wins (the lane's own boundary rather than the next lane's), then a least-squares refit on
/// its inliers gives the result. Buffers are sized once per frame size.
/// </summary>
internal sealed class LaneFitter
{
    private const int PointsPerRowPerSide = 2;
    private const int MaxRunsPerRow = 64;
    private const double MaxAbsSlope = 8;

    // A boundary found within this many frames is tracked (see FitSide).
    private const int TrackFrames = 5;

    // Lines leaning the wrong way by more than this (columns per row) are not boundaries of the ego lane.
    private const double WrongLeanTolerance = 0.3;

    private readonly LaneOptions _options;
    private readonly double[] _rowCentres = new double[MaxRunsPerRow];
    private Side _left = new(0);
    private Side _right = new(0);
    private int _rowCount;
    private int _width;
    private int _regionTop;
    private int _regionRows;
    private int _referenceRow;
    private double _cameraX;
    private double _maxRunWidth;
    private int _height;
    private int _y;
    private double _rowMaxWidth;
    private double _tolerance;
    private double _trackRadius;
    private double _horizonRow;

    public LaneFitter(LaneOptions options)
    {
        _options = options;
    }

    /// <summary>First row of the search region.</summary>
    public int RegionTop => _regionTop;

    /// <summary>Sizes the buffers for a frame size (allocates; called when the size changes).</summary>
    /// <param name="width">Frame width.</param>
    /// <param name="height">Frame height.</param>
    /// <param name="horizonRow">The horizon row, where markings shrink to nothing.</param>
    public void Configure(int width, int height, double horizonRow)
    {
        _width = width;
        _regionTop = Math.Clamp((int)Math.Round(_options.RegionTop * height), 0, height - 1);
        _regionRows = height - _regionTop;
        _referenceRow = Math.Clamp((int)Math.Round(_options.ReferenceY * (height - 1)), 0, height - 1);
        _cameraX = _options.CameraX * (width - 1);
        _maxRunWidth = Math.Max(1, _options.MaxMarkingWidth * width);
        _horizonRow = horizonRow;
        _height = height;
        _tolerance = Math.Max(1, _options.InlierTolerance * width);
        _trackRadius = 0.05 * width;
        // New sides also forget the tracked boundaries: a new frame size means a new stream.
        _left = new Side(_regionRows * PointsPerRowPerSide);
        _right = new Side(_regionRows * PointsPerRowPerSide);
    }

    public void Reset()
    {
        _left.Count = 0;
        _right.Count = 0;
        _rowCount = 0;
    }

    /// <summary>Starts row <paramref name="y"/>: markings are at most the configured width at the bottom edge, shrinking linearly to the horizon.</summary>
    public void StartRow(int y)
    {
        _y = y;
        _rowCount = 0;
        _rowMaxWidth = Math.Max(2, _maxRunWidth * (y + 1 - _horizonRow) / (_height - _horizonRow));
    }

    /// <summary>Adds a lane-marking run [x0, x1) of the current row; runs come left to right.</summary>
    public void AddRun(int x0, int x1)
    {
        if (x1 - x0 <= _rowMaxWidth && _rowCount < MaxRunsPerRow)
        {
            _rowCentres[_rowCount++] = (x0 + x1 - 1) * 0.5;
        }
    }

    /// <summary>Ends the row: keeps the markings nearest the camera column on each side.</summary>
    public void EndRow()
    {
        var y = _y;
        var firstRight = 0;
        while (firstRight < _rowCount && _rowCentres[firstRight] < _cameraX)
        {
            firstRight++;
        }

        for (var k = 0; k < PointsPerRowPerSide && firstRight - 1 - k >= 0; k++)
        {
            _left.Add(_rowCentres[firstRight - 1 - k], y);
        }

        for (var k = 0; k < PointsPerRowPerSide && firstRight + k < _rowCount; k++)
        {
            _right.Add(_rowCentres[firstRight + k], y);
        }

        _rowCount = 0;
    }

    public LaneMetrics Fit()
    {
        var left = FitSide(_left, isLeft: true, (uint)_options.Seed);
        var right = FitSide(_right, isLeft: false, (uint)_options.Seed ^ 0x9E3779B9u);
        if (left.Found && right.Found)
        {
            var width = right.XAtReference - left.XAtReference;
            if (width >= _options.MinLaneWidth * _width)
            {
                var centre = (left.XAtReference + right.XAtReference) * 0.5;
                return new LaneMetrics(
                    LaneStatus.Found, left, right, (_cameraX - centre) / width, width, Math.Min(left.Confidence, right.Confidence));
            }

            return new LaneMetrics(LaneStatus.NotFound, left, right, null, null, 0);
        }

        var status = left.Found ? LaneStatus.LeftOnly : right.Found ? LaneStatus.RightOnly : LaneStatus.NotFound;
        return new LaneMetrics(status, left, right, null, null, 0);
    }

    private LaneBoundary FitSide(Side side, bool isLeft, uint seed)
    {
        side.FramesSinceFound = Math.Min(side.FramesSinceFound + 1, int.MaxValue - 1);
        var n = side.Count;
        var minSupport = Math.Max(2, (int)Math.Ceiling(_options.MinSupport * _regionRows));
        var minSpan = (int)Math.Ceiling(_options.MinSpan * _regionRows);
        if (n < 2)
        {
            return LaneBoundary.None;
        }

        var rng = seed == 0 ? 1u : seed;
        var minGap = Math.Max(2, _regionRows / 10);
        int bestSupport = 0;
        Span<double> hypA = stackalloc double[_options.Iterations <= 256 ? _options.Iterations : 256];
        Span<double> hypB = stackalloc double[hypA.Length];
        Span<int> hypSupport = stackalloc int[hypA.Length];
        var hypCount = 0;
        for (var it = 0; it < _options.Iterations && hypCount < hypA.Length; it++)
        {
            var i = (int)(Next(ref rng) % (uint)n);
            var j = (int)(Next(ref rng) % (uint)n);
            var dy = side.Y[j] - side.Y[i];
            if (Math.Abs(dy) < minGap)
            {
                continue;
            }

            var b = (side.X[j] - side.X[i]) / dy;
            if (!PlausibleSlope(b, isLeft))
            {
                continue;
            }

            var a = side.X[i] - (b * side.Y[i]);
            var (support, span) = Support(side, a, b);
            if (support < minSupport)
            {
                continue;
            }

            // Locally optimised RANSAC: a line through two rounded marking centres can be off by a few pixels at the
            // far end; one refit on its inliers recovers the support the true line has.
            if (Refit(side, a, b, out var ra, out var rb) && PlausibleSlope(rb, isLeft))
            {
                var (refitSupport, refitSpan) = Support(side, ra, rb);
                if (refitSupport >= support)
                {
                    (a, b, support, span) = (ra, rb, refitSupport, refitSpan);
                }
            }

            if (span < minSpan)
            {
                continue;
            }

            hypA[hypCount] = a;
            hypB[hypCount] = b;
            hypSupport[hypCount] = support;
            hypCount++;
            bestSupport = Math.Max(bestSupport, support);
        }

        if (hypCount == 0)
        {
            return LaneBoundary.None;
        }

        // Tracking: a boundary seen in the last few frames is followed when some hypothesis with at least half the best
        // support lies near it, so a road arrow that briefly out-supports a dashed line does not steal the boundary.
        // Otherwise the innermost hypothesis with at least half the best support wins: a dashed own-lane boundary has
        // about half the support of a solid line further out, and the own lane's boundary is the one wanted.
        var chosen = -1;
        if (side.FramesSinceFound <= TrackFrames)
        {
            var nearest = double.MaxValue;
            for (var h = 0; h < hypCount; h++)
            {
                var distance = Math.Abs(hypA[h] + (hypB[h] * _referenceRow) - side.LastX);
                if (hypSupport[h] * 2 >= bestSupport && distance <= _trackRadius && distance < nearest)
                {
                    chosen = h;
                    nearest = distance;
                }
            }
        }

        if (chosen < 0)
        {
            var chosenDistance = double.MaxValue;
            for (var h = 0; h < hypCount; h++)
            {
                if (hypSupport[h] * 2 < bestSupport)
                {
                    continue;
                }

                var distance = Math.Abs(hypA[h] + (hypB[h] * _referenceRow) - _cameraX);
                if (distance < chosenDistance)
                {
                    chosen = h;
                    chosenDistance = distance;
                }
            }
        }

        var (fa, fb) = (hypA[chosen], hypB[chosen]);
        for (var pass = 0; pass < 2; pass++)
        {
            if (!Refit(side, fa, fb, out var ra, out var rb))
            {
                break;
            }

            (fa, fb) = (ra, rb);
        }

        var (finalSupport, finalSpan) = Support(side, fa, fb);
        if (finalSupport < minSupport || finalSpan < minSpan || !PlausibleSlope(fb, isLeft))
        {
            return LaneBoundary.None;
        }

        var x = fa + (fb * _referenceRow);
        side.LastX = x;
        side.FramesSinceFound = 0;
        return new LaneBoundary(true, x, fb, finalSupport, Math.Min(1.0, (double)finalSupport / _regionRows));
    }

    private static bool PlausibleSlope(double b, bool isLeft) =>
        Math.Abs(b) <= MaxAbsSlope && (isLeft ? b <= WrongLeanTolerance : b >= -WrongLeanTolerance);

    private (int Support, int Span) Support(Side side, double a, double b)
    {
        var support = 0;
        var lastRow = -1;
        var firstRow = -1;
        for (var k = 0; k < side.Count; k++)
        {
            var y = side.Y[k];
            if (y != lastRow && Math.Abs(side.X[k] - (a + (b * y))) <= _tolerance)
            {
                support++;
                lastRow = y;
                if (firstRow < 0)
                {
                    firstRow = y;
                }
            }
        }

        return (support, firstRow < 0 ? 0 : lastRow - firstRow + 1);
    }

    private bool Refit(Side side, double a, double b, out double ra, out double rb)
    {
        // Ordinary least squares of x on y over the inliers, centred on the mean row for conditioning.
        double n = 0, sy = 0, sx = 0;
        for (var k = 0; k < side.Count; k++)
        {
            if (Math.Abs(side.X[k] - (a + (b * side.Y[k]))) <= _tolerance)
            {
                n++;
                sy += side.Y[k];
                sx += side.X[k];
            }
        }

        ra = a;
        rb = b;
        if (n < 2)
        {
            return false;
        }

        var my = sy / n;
        var mx = sx / n;
        double syy = 0, sxy = 0;
        for (var k = 0; k < side.Count; k++)
        {
            if (Math.Abs(side.X[k] - (a + (b * side.Y[k]))) <= _tolerance)
            {
                var dy = side.Y[k] - my;
                syy += dy * dy;
                sxy += dy * (side.X[k] - mx);
            }
        }

        if (syy <= 0)
        {
            return false;
        }

        rb = sxy / syy;
        ra = mx - (rb * my);
        return true;
    }

    private static uint Next(ref uint state)
    {
        // xorshift32: tiny, allocation-free and the same on every platform.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    }

    /// <summary>Candidate points of one side, in row order.</summary>
    private sealed class Side
    {
        public Side(int capacity)
        {
            X = new double[capacity];
            Y = new int[capacity];
        }

        public double[] X { get; }

        public int[] Y { get; }

        public int Count { get; set; }

        public double LastX { get; set; }

        public int FramesSinceFound { get; set; } = int.MaxValue - 1;

        public void Add(double x, int y)
        {
            if (Count < X.Length)
            {
                X[Count] = x;
                Y[Count] = y;
                Count++;
            }
        }
    }
}
