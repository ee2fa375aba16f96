using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Optim;

/// <summary>
/// Base of the optimisers: holds the parameters (not owned; the module owns them), the learning rate (set it each
/// step from a schedule), per-parameter state, and the step count. Not thread-safe.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, Tensor> _state = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _learningRateScales = new(StringComparer.Ordinal);
    private readonly HashSet<string> _frozen = new(StringComparer.Ordinal);

    /// <summary>Creates the optimiser over <paramref name="parameters"/> (names must be distinct).</summary>
    protected Optimizer(IReadOnlyList<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        if (parameters.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != parameters.Count)
        {
            throw new ArgumentException("parameter names must be distinct.", nameof(parameters));
        }

        Parameters = parameters;
        LearningRate = learningRate;
    }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate used by the next <see cref="Step"/>.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken (AdamW's bias correction uses it).</summary>
    public long StepCount { get; protected set; }

    /// <summary>A short name written into checkpoints ("sgd", "adamw").</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Multiplies the learning rate of <paramref name="parameters"/> by <paramref name="scale"/> from now on (a smaller
    /// rate for a pretrained encoder than for a new decoder, say). 1 restores the base rate.
    /// </summary>
    public void ScaleLearningRate(IEnumerable<Parameter> parameters, double scale)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(scale >= 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the learning-rate scale must be a finite number >= 0.");
        }

        foreach (var p in Own(parameters))
        {
            _learningRateScales[p.Name] = scale;
        }
    }

    /// <summary>The learning-rate multiplier of <paramref name="parameter"/> (1 unless scaled).</summary>
    public double LearningRateScale(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return _learningRateScales.GetValueOrDefault(parameter.Name, 1.0);
    }

    /// <summary>
    /// Freezes or thaws <paramref name="parameters"/>. A frozen parameter stops requiring gradients (so no backward
    /// pass computes them) and <see cref="Step"/> leaves it and its state alone; thawing makes it train again.
    /// </summary>
    public void Freeze(IEnumerable<Parameter> parameters, bool frozen = true)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var p in Own(parameters))
        {
            p.Value.RequiresGrad = !frozen;
            if (frozen)
            {
                _frozen.Add(p.Name);
                p.Value.ZeroGrad(setToNull: true);
            }
            else
            {
                _frozen.Remove(p.Name);
            }
        }
    }

    /// <summary>Whether <paramref name="parameter"/> is frozen (see <see cref="Freeze"/>).</summary>
    public bool IsFrozen(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return _frozen.Contains(parameter.Name);
    }

    /// <summary>Updates every parameter that has a gradient and is not frozen; the others are skipped.</summary>
    public void Step()
    {
        using (Autograd.NoGrad())
        {
            StepCount++;
            foreach (var p in Parameters)
            {
                if (p.Grad is { } g && !_frozen.Contains(p.Name))
                {
                    Update(p, LearningRate * _learningRateScales.GetValueOrDefault(p.Name, 1.0), p.Value.Data, g.Data);
                }
            }
        }
    }

    /// <summary>Zero-fills the gradients of all parameters.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.Value.ZeroGrad();
        }
    }

    /// <summary>The optimiser's state tensors by <c>{parameter}.{slot}</c> (copies not made: the live state).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict() => _state;

    /// <summary>Restores state saved by <see cref="StateDict"/> and the step count.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        var names = Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _state.Clear();
        foreach (var (key, value) in state)
        {
            var dot = key.LastIndexOf('.');
            if (dot <= 0 || !names.TryGetValue(key[..dot], out var p))
            {
                throw new ArgumentException($"optimiser state '{key}' names no parameter of this optimiser.", nameof(state));
            }

            if (!value.HasShape(p.Value.Shape))
            {
                throw new ArgumentException($"optimiser state '{key}' has shape {value.ShapeString}; the parameter has {p.Value.ShapeString}.", nameof(state));
            }

            _state[key] = value.Detach();
        }

        StepCount = stepCount;
    }

    /// <summary>Applies one update to <paramref name="value"/> from <paramref name="grad"/> at <paramref name="learningRate"/> (the parameter's own).</summary>
    protected abstract void Update(Parameter parameter, double learningRate, Span<float> value, ReadOnlySpan<float> grad);

    private IEnumerable<Parameter> Own(IEnumerable<Parameter> parameters)
    {
        var names = Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (!names.Contains(p.Name))
            {
                throw new ArgumentException($"'{p.Name}' is not a parameter of this optimiser.", nameof(parameters));
            }

            yield return p;
        }
    }

    /// <summary>The state slot <paramref name="slot"/> of a parameter, created zero-filled (isNew tells).</summary>
    protected Span<float> State(Parameter parameter, string slot, out bool isNew)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var key = parameter.Name + "." + slot;
        isNew = !_state.TryGetValue(key, out var t);
        if (t is null)
        {
            t = new Tensor(parameter.Value.ShapeArray);
            _state[key] = t;
        }

        return t.Data;
    }
}
