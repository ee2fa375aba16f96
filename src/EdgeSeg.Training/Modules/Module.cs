using System.Diagnostics.CodeAnalysis;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Modules;

/// <summary>
/// A layer or model, shaped like PyTorch's nn.Module: named parameters (trainable), buffers (running statistics),
/// child modules, a training/evaluation mode, and a state dict. The module owns its tensors; they live as long as it.
/// Not thread-safe: one training or evaluation call at a time.
/// </summary>
[SuppressMessage("Naming", "CA1716", Justification = "PyTorch's name, which the engine's users know; VB consumers are not expected.")]
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _parameters = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];
    private readonly List<(string Name, Module Value)> _children = [];

    /// <summary>Whether the module is in training mode (batch statistics, dropout on). New modules train.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Runs the module on <paramref name="input"/>; records a graph when gradients are enabled.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Sets training mode on this module and all children.</summary>
    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children)
        {
            child.Train(training);
        }
    }

    /// <summary>Sets evaluation mode (running statistics, no dropout) on this module and all children.</summary>
    public void Eval() => Train(false);

    /// <summary>All trainable parameters with dotted names, in registration order (depth-first).</summary>
    public IReadOnlyList<Parameter> NamedParameters()
    {
        var list = new List<Parameter>();
        Collect(string.Empty, list, buffers: null);
        return list;
    }

    /// <summary>All trainable parameter tensors, in registration order.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>Clears every parameter's gradient (zero-filled, or dropped when <paramref name="setToNull"/>).</summary>
    public void ZeroGrad(bool setToNull = false)
    {
        foreach (var p in NamedParameters())
        {
            p.Value.ZeroGrad(setToNull);
        }
    }

    /// <summary>Parameters and buffers by dotted name, in registration order. The tensors are the module's own (not copies).</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var parameters = new List<Parameter>();
        var buffers = new List<Parameter>();
        Collect(string.Empty, parameters, buffers);
        var dict = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var p in parameters.Concat(buffers).OrderBy(p => p.Name, new RegistrationOrder(this)))
        {
            dict.Add(p.Name, p.Value);
        }

        return dict;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers. With
    /// <paramref name="strict"/>, every name must be present on both sides with equal shapes.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        foreach (var (name, tensor) in own)
        {
            if (!state.TryGetValue(name, out var src))
            {
                if (strict)
                {
                    throw new ArgumentException($"state dict has no entry '{name}' (shape {tensor.ShapeString}).", nameof(state));
                }

                continue;
            }

            if (!src.HasShape(tensor.Shape))
            {
                throw new ArgumentException($"state dict entry '{name}' has shape {src.ShapeString}; the module needs {tensor.ShapeString}.", nameof(state));
            }

            src.Data.CopyTo(tensor.Data);
        }

        if (strict)
        {
            var extra = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (extra.Count > 0)
            {
                throw new ArgumentException($"state dict has entries the module does not: {string.Join(", ", extra)}.", nameof(state));
            }
        }
    }

    /// <summary>Registers a trainable tensor (sets <see cref="Tensor.RequiresGrad"/>).</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.RequiresGrad = true;
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a non-trainable state tensor (running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        _children.Add((name, module));
        return module;
    }

    private void Collect(string prefix, List<Parameter> parameters, List<Parameter>? buffers)
    {
        foreach (var (name, value) in _parameters)
        {
            parameters.Add(new Parameter(prefix + name, value));
        }

        if (buffers is not null)
        {
            foreach (var (name, value) in _buffers)
            {
                buffers.Add(new Parameter(prefix + name, value));
            }
        }

        foreach (var (name, child) in _children)
        {
            child.Collect(prefix + name + ".", parameters, buffers);
        }
    }

    // PyTorch's state_dict order: per module, its parameters, then its buffers, then children, depth-first.
    private sealed class RegistrationOrder : IComparer<string>
    {
        private readonly Dictionary<string, int> _rank = new(StringComparer.Ordinal);

        public RegistrationOrder(Module root) => root.Rank(string.Empty, _rank);

        public int Compare(string? x, string? y) => _rank[x!].CompareTo(_rank[y!]);
    }

    private void Rank(string prefix, Dictionary<string, int> rank)
    {
        foreach (var (name, _) in _parameters)
        {
            rank[prefix + name] = rank.Count;
        }

        foreach (var (name, _) in _buffers)
        {
            rank[prefix + name] = rank.Count;
        }

        foreach (var (name, child) in _children)
        {
            child.Rank(prefix + name + ".", rank);
        }
    }
}
