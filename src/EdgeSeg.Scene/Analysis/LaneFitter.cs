using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Scene.Analysis;

/// <summary>
/// Fits the ego lane's left and right boundaries as image lines x = a + b y from lane-marking runs in the lower part
/// of the frame. Each row contributes the centres of its (at most <see cref="PointsPerRowPerSide"/>) markings
/// nearest the column dividing the sides, on each side. RANSAC with a fixed seed proposes lines; among those with enough
/// support the innermost wins (the lane's own boundary rather than the next lane's), then a least-squares refit on
/// its inliers gives the result. Buffers are sized once per frame size.
/// <para>
/// Each boundary is tracked across frames (see <see cref="Track"/>): a tracked line needs only a short span (one
/// dash of a dashed line) near where it is predicted, or a fit through the vanishing point remembered from frames with
/// both lines; a line not seen for a few frames is held at its prediction with decaying confidence (the gap between
/// dashes); rows are split between the sides at the middle of the tracked lines,
/// so the line under the camera is followed as it crosses the camera column; and a line that crosses it changes side,
/// the lane beyond it being predicted one lane width further (a lane change).
/// </para>
/// </summary>
internal sealed class LaneFitter
{
    private const int PointsPerRowPerSide = 2;
    private const int MaxRunsPerRow = 64;
    private const double MaxAbsSlope = 8;

    // A boundary found within this many frames is tracked (see FitSide) and, when not measured, held at its prediction.
    private const int TrackFrames = 8;

    // A boundary's confidence is a moving average of its support fraction with this weight on the newest frame (a
    // frame where it is held counts as 0).
    private const double ConfidenceGain = 0.3;

    // A line predicted beyond a crossed one starts with this fraction of the crossed line's confidence.
    private const double HoldDecay = 0.8;

    // A tracked boundary needs this fraction of MinSpan: one dash of a dashed line near its prediction.
    private const double TrackedSpanFraction = 0.25;

    // Smoothing of the remembered lane width and vanishing point (weight of the newest frame).
    private const double MemoryGain = 0.2;

    // Lines leaning the wrong way by more than this (columns per row) are not boundaries of the ego lane.
    private const double WrongLeanTolerance = 0.3;

    private readonly LaneOptions _options;
    private readonly double[] _rowCentres = new double[MaxRunsPerRow];
    private double[] _slopes = [];
    private Side _left = new(0);
    private Side _right = new(0);
    private readonly Track _leftTrack = new();
    private readonly Track _rightTrack = new();
    private double _laneWidth;
    private double _vanishX;
    private double _vanishY;
    private bool _haveVanish;
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
        _slopes = new double[_regionRows * PointsPerRowPerSide];
        _leftTrack.Forget();
        _rightTrack.Forget();
        _laneWidth = 0;
        _haveVanish = false;
    }

    /// <summary>Starts a frame: forgets the previous frame's points and predicts the tracked lines.</summary>
    public void Reset()
    {
        _left.Count = 0;
        _right.Count = 0;
        _rowCount = 0;
        _leftTrack.Predict();
        _rightTrack.Predict();
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
        var split = SplitColumn(y);
        var firstRight = 0;
        while (firstRight < _rowCount && _rowCentres[firstRight] < split)
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
        FitSide(_left, _leftTrack, isLeft: true, (uint)_options.Seed);
        FitSide(_right, _rightTrack, isLeft: false, (uint)_options.Seed ^ 0x9E3779B9u);
        Remember();
        ChangeSides();
        var left = Boundary(_leftTrack);
        var right = Boundary(_rightTrack);
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

    private void FitSide(Side side, Track track, bool isLeft, uint seed)
    {
        var n = side.Count;
        var minSupport = Math.Max(2, (int)Math.Ceiling(_options.MinSupport * _regionRows));
        var minSpan = (int)Math.Ceiling(_options.MinSpan * _regionRows);
        var trackedSpan = (int)Math.Ceiling(TrackedSpanFraction * minSpan);
        var tracked = track.Valid && track.FramesSinceFound <= TrackFrames;
        if (n < 2)
        {
            track.Miss(TrackFrames);
            return;
        }

        var rng = seed == 0 ? 1u : seed;
        var minGap = Math.Max(2, _regionRows / 10);
        int bestSupport = 0;
        Span<double> hypA = stackalloc double[_options.Iterations <= 256 ? _options.Iterations : 256];
        Span<double> hypB = stackalloc double[hypA.Length];
        Span<int> hypSupport = stackalloc int[hypA.Length];
        Span<int> hypSpan = stackalloc int[hypA.Length];
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
            if (!PlausibleSlope(b, isLeft, tracked))
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
            if (Refit(side, a, b, out var ra, out var rb) && PlausibleSlope(rb, isLeft, tracked))
            {
                var (refitSupport, refitSpan) = Support(side, ra, rb);
                if (refitSupport >= support)
                {
                    (a, b, support, span) = (ra, rb, refitSupport, refitSpan);
                }
            }

            if (span < (tracked ? trackedSpan : minSpan))
            {
                continue;
            }

            hypA[hypCount] = a;
            hypB[hypCount] = b;
            hypSupport[hypCount] = support;
            hypSpan[hypCount] = span;
            hypCount++;
            bestSupport = Math.Max(bestSupport, support);
        }

        // Tracking: a boundary seen in the last few frames is followed when some hypothesis lies near its prediction at
        // both ends of the region, so a road arrow that briefly out-supports a dashed line does not steal the boundary,
        // and one dash suffices. Otherwise the innermost hypothesis with the full span and at least half the best
        // support wins: a dashed own-lane boundary has about half the support of a solid line further out, and the own
        // lane's boundary is the one wanted.
        var chosen = -1;
        if (tracked)
        {
            var nearest = double.MaxValue;
            for (var h = 0; h < hypCount; h++)
            {
                var distance = Math.Max(
                    Math.Abs(hypA[h] + (hypB[h] * _referenceRow) - track.X(_referenceRow)),
                    Math.Abs(hypA[h] + (hypB[h] * _regionTop) - track.X(_regionTop)));
                if (distance <= _trackRadius && distance < nearest)
                {
                    chosen = h;
                    nearest = distance;
                }
            }
        }

        if (chosen < 0 && tracked && FitThroughVanishingPoint(side, track, minSupport))
        {
            return;
        }

        if (chosen < 0)
        {
            var bestFull = 0;
            for (var h = 0; h < hypCount; h++)
            {
                if (hypSpan[h] >= minSpan)
                {
                    bestFull = Math.Max(bestFull, hypSupport[h]);
                }
            }

            var chosenDistance = double.MaxValue;
            for (var h = 0; h < hypCount; h++)
            {
                if (hypSpan[h] < minSpan || hypSupport[h] * 2 < bestFull)
                {
                    continue;
                }

                // A tracked line not seen near its prediction yields only to a full line inside it (nearer the camera).
                var distance = Math.Abs(hypA[h] + (hypB[h] * _referenceRow) - _cameraX);
                if (distance < chosenDistance && (!tracked || distance < Math.Abs(track.X(_referenceRow) - _cameraX) - _trackRadius))
                {
                    chosen = h;
                    chosenDistance = distance;
                }
            }
        }

        if (chosen < 0)
        {
            track.Miss(TrackFrames);
            return;
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
        if (finalSupport < minSupport || finalSpan < (tracked ? trackedSpan : minSpan) || !PlausibleSlope(fb, isLeft, tracked))
        {
            track.Miss(TrackFrames);
            return;
        }

        track.Measure(fa, fb, finalSupport, Math.Min(1.0, (double)finalSupport / _regionRows));
    }

    /// <summary>
    /// Fits a tracked line through the remembered vanishing point, where lane lines meet: one parameter, so a single
    /// short dash (which alone gives a poor slope) places the whole line. Points are taken near the prediction.
    /// </summary>
    private bool FitThroughVanishingPoint(Side side, Track track, int minSupport)
    {
        if (!_haveVanish)
        {
            return false;
        }

        // Near the vanishing point every line is near the prediction; a point counts when the line through it and the
        // vanishing point passes near the prediction at the reference row.
        var reach = _referenceRow - _vanishY;
        var predicted = (track.X(_referenceRow) - _vanishX) / reach;
        var count = 0;
        var slopes = _slopes.AsSpan();
        for (var k = 0; k < side.Count; k++)
        {
            var dy = side.Y[k] - _vanishY;
            if (dy < 1)
            {
                continue;
            }

            var slope = (side.X[k] - _vanishX) / dy;
            if (Math.Abs(slope - predicted) * reach <= _trackRadius && count < slopes.Length)
            {
                slopes[count++] = slope;
            }
        }

        if (count < 2)
        {
            return false;
        }

        // The median slope belongs to the marking with most rows near the prediction; a mean over its inliers refines it.
        var b = Select(slopes[..count], count / 2);
        for (var pass = 0; pass < 2; pass++)
        {
            double sum = 0;
            var n = 0;
            for (var k = 0; k < side.Count; k++)
            {
                var dy = side.Y[k] - _vanishY;
                if (dy >= 1 && Math.Abs(side.X[k] - (_vanishX + (b * dy))) <= _tolerance)
                {
                    sum += (side.X[k] - _vanishX) / dy;
                    n++;
                }
            }

            if (n == 0)
            {
                return false;
            }

            b = sum / n;
        }

        var a = _vanishX - (b * _vanishY);
        var (support, _) = Support(side, a, b);
        if (support < Math.Max(3, minSupport / 2))
        {
            return false;
        }

        track.Measure(a, b, support, Math.Min(1.0, (double)support / _regionRows));
        return true;
    }

    /// <summary>The <paramref name="k"/>-th smallest value (Hoare's selection, in place, no allocation).</summary>
    private static double Select(Span<double> values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            var pivot = values[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }

    // A tracked line may lean either way: the line under the camera turns from one side's lean to the other's.
    private static bool PlausibleSlope(double b, bool isLeft, bool tracked) =>
        Math.Abs(b) <= MaxAbsSlope && (tracked || (isLeft ? b <= WrongLeanTolerance : b >= -WrongLeanTolerance));

    /// <summary>The column dividing the sides' points on row <paramref name="y"/>: the middle of the tracked lines.</summary>
    private double SplitColumn(int y)
    {
        var left = _leftTrack.Valid;
        var right = _rightTrack.Valid;
        if (left && right)
        {
            return (_leftTrack.X(y) + _rightTrack.X(y)) * 0.5;
        }

        // One tracked line: the camera column, moved beyond the line if it has come that close.
        var margin = 3 * _tolerance;
        return left ? Math.Max(_cameraX, _leftTrack.X(y) + margin)
            : right ? Math.Min(_cameraX, _rightTrack.X(y) - margin)
            : _cameraX;
    }

    /// <summary>Remembers the lane width and the lines' meeting point from frames where both lines were measured.</summary>
    private void Remember()
    {
        var l = _leftTrack;
        var r = _rightTrack;
        if (!l.MeasuredNow || !r.MeasuredNow)
        {
            return;
        }

        var width = r.X(_referenceRow) - l.X(_referenceRow);
        if (width < _options.MinLaneWidth * _width)
        {
            return;
        }

        _laneWidth = _laneWidth <= 0 ? width : _laneWidth + (MemoryGain * (width - _laneWidth));
        var db = l.B - r.B;
        if (Math.Abs(db) > 1e-6)
        {
            var vy = (r.A - l.A) / db;
            if (vy < _referenceRow - 1)
            {
                var vx = l.A + (l.B * vy);
                _vanishX = _haveVanish ? _vanishX + (MemoryGain * (vx - _vanishX)) : vx;
                _vanishY = _haveVanish ? _vanishY + (MemoryGain * (vy - _vanishY)) : vy;
                _haveVanish = true;
            }
        }
    }

    /// <summary>
    /// A line whose reference column has crossed the camera column belongs to the other side now (the vehicle crossed
    /// it); the line beyond it on the first side is predicted one remembered lane width further, through the
    /// remembered vanishing point, until it is measured.
    /// </summary>
    private void ChangeSides()
    {
        if (_leftTrack.Valid && _leftTrack.X(_referenceRow) >= _cameraX)
        {
            _rightTrack.CopyFrom(_leftTrack);
            Beyond(_rightTrack, _leftTrack, -1);
        }
        else if (_rightTrack.Valid && _rightTrack.X(_referenceRow) < _cameraX)
        {
            _leftTrack.CopyFrom(_rightTrack);
            Beyond(_leftTrack, _rightTrack, 1);
        }
    }

    private void Beyond(Track line, Track beyond, int direction)
    {
        if (_laneWidth <= 0)
        {
            beyond.Forget();
            return;
        }

        var vy = _haveVanish ? _vanishY : _horizonRow;
        if (_referenceRow - vy < 1)
        {
            beyond.Forget();
            return;
        }

        var x = line.X(_referenceRow) + (direction * _laneWidth);
        var vx = _haveVanish ? _vanishX : _cameraX;
        var b = (x - vx) / (_referenceRow - vy);
        beyond.Seed(x - (b * _referenceRow), b, line.Confidence * HoldDecay, line);
    }

    private LaneBoundary Boundary(Track track)
    {
        if (!track.Valid || track.FramesSinceFound > TrackFrames)
        {
            return LaneBoundary.None;
        }

        return new LaneBoundary(true, track.X(_referenceRow), track.B, track.MeasuredNow ? track.Support : 0, track.Confidence);
    }

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

    /// <summary>One boundary followed across frames as x = A + B y, with its change per frame.</summary>
    private sealed class Track
    {
        public bool Valid { get; private set; }

        public double A { get; private set; }

        public double B { get; private set; }

        public int FramesSinceFound { get; private set; }

        public bool MeasuredNow { get; private set; }

        public int Support { get; private set; }

        public double Confidence { get; private set; }

        private double VelocityA { get; set; }

        private double VelocityB { get; set; }

        public double X(double y) => A + (B * y);

        /// <summary>Moves the line to where it should be on the new frame (constant velocity).</summary>
        public void Predict()
        {
            MeasuredNow = false;
            if (Valid)
            {
                A += VelocityA;
                B += VelocityB;
            }
        }

        public void Measure(double a, double b, int support, double confidence)
        {
            // The velocity is the last step between measured frames; a held or seeded line starts from rest.
            if (Valid && FramesSinceFound == 0)
            {
                VelocityA = a - (A - VelocityA);
                VelocityB = b - (B - VelocityB);
            }
            else
            {
                VelocityA = 0;
                VelocityB = 0;
            }

            // Confidence is averaged over frames: a dashed line's support comes and goes with its dashes.
            Confidence = Valid ? Confidence + (ConfidenceGain * (confidence - Confidence)) : confidence;
            (A, B, Support) = (a, b, support);
            Valid = true;
            MeasuredNow = true;
            FramesSinceFound = 0;
        }

        public void Miss(int trackFrames)
        {
            if (!Valid)
            {
                return;
            }

            // Held lines slow down: the prediction is trusted less the longer nothing confirms it.
            VelocityA *= 0.85;
            VelocityB *= 0.85;
            Confidence *= 1 - ConfidenceGain;
            if (++FramesSinceFound > trackFrames)
            {
                Forget();
            }
        }

        /// <summary>Starts a predicted line moving with <paramref name="like"/>: a sideways camera move shifts every line alike.</summary>
        public void Seed(double a, double b, double confidence, Track like)
        {
            (A, B, Confidence, Support) = (a, b, confidence, 0);
            (VelocityA, VelocityB) = (like.VelocityA, like.VelocityB);
            Valid = true;
            MeasuredNow = false;
            FramesSinceFound = 1;
        }

        public void CopyFrom(Track other)
        {
            (Valid, A, B, FramesSinceFound, MeasuredNow) = (other.Valid, other.A, other.B, other.FramesSinceFound, other.MeasuredNow);
            (Support, Confidence, VelocityA, VelocityB) = (other.Support, other.Confidence, other.VelocityA, other.VelocityB);
        }

        public void Forget()
        {
            Valid = false;
            MeasuredNow = false;
            FramesSinceFound = 0;
            (VelocityA, VelocityB) = (0, 0);
        }
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
