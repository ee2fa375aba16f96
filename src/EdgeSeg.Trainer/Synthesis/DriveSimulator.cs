namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// A consistent synthetic drive: the ego car moves along one road at a steady speed and changes lane now and then
/// (each change recorded as a <see cref="LaneChange"/>); other traffic drives with its own speeds in both
/// directions; pedestrians walk; the roadside is the same every time a place is passed. Call <see cref="Next"/>
/// once per frame. Everything follows from the seed.
/// </summary>
internal sealed class DriveSimulator
{
    private const float LaneChangeSeconds = 2.8f;

    /// <summary>The close-in: where the lead car appears, how fast the ego car closes on it, and the gap at which it pulls away.</summary>
    private const float CloseInStartGap = 30f;
    private const float CloseInClosingSpeed = 6f;
    private const float CloseInMinGap = 6f;

    private readonly ulong _seed;
    private readonly int _frames;
    private readonly float _dt;
    private readonly SceneRandom _random;
    private readonly List<SimVehicle> _traffic = [];
    private readonly List<LaneChange> _changes = [];
    private readonly List<float> _offsets = [];
    private readonly Lighting _light;
    private readonly float _speed;
    private float _s;
    private int _lane;
    private int _fromLane;
    private int _toLane;
    private int _changeStart = -1;
    private int _crossing = -1;
    private float _nextChange;
    private readonly float? _closeInAt;
    private SimVehicle? _lead;
    private bool _leadPullingAway;
    private int _closeInStart = -1;
    private int _closest = -1;
    private float _minGap = float.MaxValue;

    /// <param name="seed">Everything follows from it.</param>
    /// <param name="width">Frame width.</param>
    /// <param name="height">Frame height.</param>
    /// <param name="fps">Frame rate.</param>
    /// <param name="frames">Frames the drive will have.</param>
    /// <param name="closeInAt">
    /// When given: from this second (or the end of a lane change then in progress), a slower car appears ahead in the ego
    /// lane, the ego car closes on it at a constant speed until the gap is at its smallest, then it pulls away
    /// (<see cref="CloseIn"/>). No lane change starts meanwhile. Without it the drive is as it always was for the seed.
    /// </param>
    public DriveSimulator(ulong seed, int width, int height, float fps, int frames, float? closeInAt = null)
    {
        _closeInAt = closeInAt;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        _seed = seed;
        _frames = frames;
        _dt = 1f / fps;
        _random = SceneRandom.For(seed, 0, 9);
        var style = (SceneryStyle)_random.Int(0, 3);
        Layout = new RoadLayout(4, 3.5f, 2, LaneLineStyle.Solid, LaneLineStyle.Dashed,
            _random.Chance(0.5f) ? LaneLineStyle.DoubleSolid : LaneLineStyle.Solid, _random.Chance(0.4f), _random.Range(0f, 0.3f),
            3f, 10f, style == SceneryStyle.Rural ? 0f : 3f, style == SceneryStyle.Rural ? 0f : 0.2f,
            Colour.Rgb(90, 90, 94).Vary(_random, 0.15f, 0.02f), Colour.Rgb(170, 164, 154), style == SceneryStyle.Urban ? Colour.Rgb(150, 146, 138) : Colour.Rgb(86, 116, 56), style);
        Road = RoadGeometry.Random(_random, 0.6f, 0.5f);
        Camera = Camera.Create(width, height, 64f, 0.46f, 1.35f);
        _light = Lighting.Create(_random.Chance(0.5f) ? TimeOfDay.Noon : (TimeOfDay)_random.Int(0, 4), _random);
        _speed = _random.Range(11f, 15f);
        _s = _random.Range(0f, 5000f);
        _lane = 3;
        _toLane = 3;
        CameraX = Layout.LaneCentre(_lane);
        _nextChange = _random.Range(2f, 4f);
        for (var lane = 0; lane < Layout.Lanes; lane++)
        {
            for (var d = _random.Range(12f, 40f); d < 240f; d += _random.Range(25f, 70f))
            {
                Spawn(lane, d);
            }
        }
    }

    public RoadLayout Layout { get; }

    public RoadGeometry Road { get; }

    public Camera Camera { get; }

    /// <summary>Lateral camera position of the latest frame (metres from the road's centre line).</summary>
    public float CameraX { get; private set; }

    /// <summary>Frames produced so far.</summary>
    public int Frame { get; private set; }

    /// <summary>The ego car's speed in metres per second.</summary>
    public float Speed => _speed;

    /// <summary>Lane changes completed so far.</summary>
    public IReadOnlyList<LaneChange> LaneChanges => _changes;

    /// <summary>The close-in, once it is over (null before, or without one).</summary>
    public CloseIn? CloseIn { get; private set; }

    /// <summary>The gap in metres to the close-in's lead car on every frame so far (null while there is none).</summary>
    public IReadOnlyList<float?> LeadGaps => _leadGaps;

    private readonly List<float?> _leadGaps = [];

    /// <summary>The camera's lateral position on every frame so far.</summary>
    public IReadOnlyList<float> CameraOffsets => _offsets;

    /// <summary>The scene of the next frame.</summary>
    public SceneFrame Next()
    {
        var frame = Frame;
        var time = frame * _dt;
        UpdateEgo(frame, time);
        UpdateCloseIn(frame, time);
        var objects = new List<SceneObject>();
        var worldSeed = SceneRandom.Hash(_seed, 77);
        Scenery.Populate(objects, Layout, worldSeed, _s, 320f, time);
        foreach (var v in _traffic)
        {
            v.Vehicle.Near = v.S - _s;
            v.Vehicle.X = Layout.LaneCentre(v.Lane) + (0.15f * MathF.Sin((time * 0.4f) + v.Wobble));
            objects.Add(v.Vehicle);
        }

        var sensor = new SensorSettings(2.2f, 1, 0, 0, 0.2f);
        var scene = new SceneFrame(Camera, Road, Layout, _s, CameraX, _light, objects, sensor, worldSeed, SceneRandom.Hash(_seed, (ulong)frame, 5));
        _offsets.Add(CameraX);
        _leadGaps.Add(_lead is { } lead ? lead.S - _s : null);
        Frame++;
        _s += _speed * _dt;
        UpdateTraffic();
        return scene;
    }

    private void UpdateEgo(int frame, float time)
    {
        if (_changeStart < 0 && time >= _nextChange && (_lead is not null || (_closeInAt is { } at && CloseIn is null && time >= at - LaneChangeSeconds - 1f)))
        {
            // No lane change during a close-in, nor one that would still be under way when it is due.
            _nextChange = time + 1f;
        }

        if (_changeStart < 0 && time >= _nextChange)
        {
            var target = _lane == 3 ? 2 : 3;
            var endFrame = frame + (int)MathF.Ceiling(LaneChangeSeconds / _dt);
            if (endFrame < _frames - 2 && IsClear(target))
            {
                _changeStart = frame;
                _fromLane = _lane;
                _toLane = target;
                _crossing = -1;
            }
            else
            {
                _nextChange = time + 1f;
            }
        }

        if (_changeStart < 0)
        {
            CameraX = Layout.LaneCentre(_lane);
            return;
        }

        var u = MathF.Min(1f, (frame - _changeStart) * _dt / LaneChangeSeconds);
        var from = Layout.LaneCentre(_fromLane);
        var to = Layout.LaneCentre(_toLane);
        CameraX = from + ((to - from) * (0.5f - (0.5f * MathF.Cos(MathF.PI * u))));
        var boundary = (from + to) / 2f;
        if (_crossing < 0 && MathF.Sign(CameraX - boundary) == MathF.Sign(to - boundary))
        {
            _crossing = frame;
        }

        if (u >= 1f)
        {
            _changes.Add(new LaneChange(_changeStart, frame, _crossing, _fromLane, _toLane, _toLane < _fromLane ? "left" : "right"));
            _lane = _toLane;
            _changeStart = -1;
            _nextChange = time + _random.Range(2.5f, 5f);
        }
    }

    private void UpdateCloseIn(int frame, float time)
    {
        if (_lead is null && CloseIn is null && _closeInAt is { } at && time >= at && _changeStart < 0)
        {
            // Clear the ego lane ahead, then put the slower lead car there.
            _traffic.RemoveAll(v => v.Lane == _lane && v.S - _s > -v.Vehicle.Length && v.S - _s < CloseInStartGap + 40f);
            var vehicle = StillSceneGenerator.RandomVehicle(_random, Layout.LaneCentre(_lane), CloseInStartGap, oncoming: false);
            _lead = new SimVehicle(vehicle, _lane, _s + CloseInStartGap, _speed - CloseInClosingSpeed, 0f);
            _traffic.Add(_lead);
            _leadPullingAway = false;
            _closeInStart = frame;
            _minGap = float.MaxValue;
        }

        if (_lead is not { } lead)
        {
            return;
        }

        var gap = lead.S - _s;
        if (gap < _minGap)
        {
            _minGap = gap;
            _closest = frame;
        }

        if (!_leadPullingAway && gap <= CloseInMinGap)
        {
            _leadPullingAway = true;
            lead.Speed = _speed + CloseInClosingSpeed;
        }
        else if (_leadPullingAway && gap >= CloseInStartGap)
        {
            CloseIn = new CloseIn(_closeInStart, _closest, frame, _minGap, CloseInClosingSpeed);
            lead.Speed = _speed;
            _lead = null;
        }
    }

    private bool IsClear(int lane)
    {
        foreach (var v in _traffic)
        {
            var d = v.S - _s;
            if (v.Lane == lane && d > -v.Vehicle.Length - 8f && d < 16f)
            {
                return false;
            }
        }

        return true;
    }

    private void UpdateTraffic()
    {
        foreach (var v in _traffic)
        {
            var d = v.S - _s;
            if (!v.Vehicle.Oncoming)
            {
                // Keep clear of the camera's lanes: a car just ahead speeds up rather than being driven through.
                var inEgoPath = v.Lane == _lane || v.Lane == _toLane;
                var speed = inEgoPath && d > -2f && d < 18f && v != _lead ? _speed + 2.5f : v.Speed;
                foreach (var other in _traffic)
                {
                    var gap = other.S - v.S - v.Vehicle.Length;
                    if (other != v && v != _lead && other.Lane == v.Lane && gap > -1f && gap < 10f)
                    {
                        speed = MathF.Min(speed, other.Speed - 0.5f);
                    }
                }

                v.S += speed * _dt;
            }
            else
            {
                v.S -= v.Speed * _dt;
            }
        }

        for (var i = _traffic.Count - 1; i >= 0; i--)
        {
            var v = _traffic[i];
            var d = v.S - _s;
            if (d + v.Vehicle.Length < 0.5f || d > 330f)
            {
                _traffic.RemoveAt(i);
                Spawn(v.Lane, _random.Range(200f, 300f));
            }
        }
    }

    private void Spawn(int lane, float d)
    {
        foreach (var other in _traffic)
        {
            if (other.Lane == lane && MathF.Abs(other.S - _s - d) < 20f)
            {
                return;
            }
        }

        var oncoming = lane < Layout.OncomingLanes;
        var vehicle = StillSceneGenerator.RandomVehicle(_random, Layout.LaneCentre(lane), d, oncoming);
        var speed = oncoming ? _random.Range(10f, 15f) : _speed * _random.Range(0.7f, 1.0f);
        _traffic.Add(new SimVehicle(vehicle, lane, _s + d, speed, _random.Range(0f, MathF.Tau)));
    }

    private sealed class SimVehicle(Vehicle vehicle, int lane, float s, float speed, float wobble)
    {
        public Vehicle Vehicle { get; } = vehicle;

        public int Lane { get; } = lane;

        public float S { get; set; } = s;

        public float Speed { get; set; } = speed;

        public float Wobble { get; } = wobble;
    }
}
