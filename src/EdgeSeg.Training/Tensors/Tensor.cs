using System.Globalization;

namespace EdgeSeg.Training.Tensors;

/// <summary>
/// A dense float32 tensor (row-major, NCHW for images) that can take part in reverse-mode automatic differentiation.
/// The tensor owns its storage; views are not supported, every operation writes a new tensor. A tensor produced by an
/// operation on tensors that require gradients remembers how it was made until <see cref="Backward"/> has run.
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;
    private readonly float[] _data;

    /// <summary>A zero-filled tensor of the given shape.</summary>
    /// <param name="shape">Each dimension, all &gt; 0.</param>
    public Tensor(params int[] shape)
        : this(ValidateShape(shape), null)
    {
    }

    /// <summary>A tensor over a copy of <paramref name="values"/>, whose length must equal the shape's element count.</summary>
    public Tensor(ReadOnlySpan<float> values, params int[] shape)
        : this(ValidateShape(shape), null)
    {
        if (values.Length != Length)
        {
            throw new ArgumentException($"values has {values.Length} elements but shape [{string.Join(",", shape)}] needs {Length}.", nameof(values));
        }

        values.CopyTo(_data);
    }

    private Tensor(int[] shape, float[]? storage)
    {
        _shape = shape;
        var length = 1;
        foreach (var d in shape)
        {
            length = checked(length * d);
        }

        Length = length;
        _data = storage ?? new float[length];
    }

    /// <summary>The dimensions; do not modify.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The values, row-major. Writing them is allowed (initialisation, optimiser steps) outside a recorded graph.</summary>
    public Span<float> Data => _data.AsSpan(0, Length);

    /// <summary>Whether gradients flow into this tensor (parameters, or results of operations on such tensors).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient (same shape), created by <see cref="Backward"/>; null until then or after <see cref="ZeroGrad"/> with <c>setToNull</c>.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>The operation that produced this tensor while gradients were recorded; null for leaves.</summary>
    internal GraphNode? Node { get; set; }

    /// <summary>The backing array (length may exceed <see cref="Length"/> never; kept internal for kernels).</summary>
    internal float[] Array => _data;

    internal int[] ShapeArray => _shape;

    /// <summary>Dimension <paramref name="i"/> (negative counts from the end).</summary>
    public int Dim(int i) => _shape[i < 0 ? _shape.Length + i : i];

    /// <summary>A tensor of the shape filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = new Tensor(shape);
        t.Data.Fill(value);
        return t;
    }

    /// <summary>A tensor of normal(0, std) values from a deterministic generator.</summary>
    public static Tensor RandomNormal(Random random, float std, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = new Tensor(shape);
        var d = t.Data;
        for (var i = 0; i < d.Length; i++)
        {
            // Box-Muller; deterministic for a seeded Random.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            d[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return t;
    }

    /// <summary>A tensor of uniform values in [low, high) from a deterministic generator.</summary>
    public static Tensor RandomUniform(Random random, float low, float high, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = new Tensor(shape);
        var d = t.Data;
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = (float)(low + ((high - low) * random.NextDouble()));
        }

        return t;
    }

    /// <summary>A new leaf tensor with the same values and no graph history.</summary>
    public Tensor Detach() => new(Data, _shape);

    /// <summary>A copy of the values as an array.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1)
        {
            throw new InvalidOperationException($"Item() needs a one-element tensor; this one has shape {ShapeString}.");
        }

        return _data[0];
    }

    /// <summary>The shape as text, e.g. <c>[2,3,4]</c>.</summary>
    public string ShapeString => "[" + string.Join(",", _shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Whether the shape equals <paramref name="shape"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>Clears the gradient: zero-fills it, or drops it when <paramref name="setToNull"/>.</summary>
    public void ZeroGrad(bool setToNull = false)
    {
        if (setToNull)
        {
            Grad = null;
        }
        else
        {
            Grad?.Data.Clear();
        }
    }

    /// <summary>
    /// Back-propagates from this scalar (or, with <paramref name="gradient"/>, any) tensor: accumulates d(this)/d(leaf)
    /// into the <see cref="Grad"/> of every leaf that requires gradients, then frees the graph.
    /// </summary>
    public void Backward(Tensor? gradient = null)
    {
        if (gradient is null && Length != 1)
        {
            throw new InvalidOperationException($"Backward() without a gradient needs a scalar; this tensor has shape {ShapeString}.");
        }

        if (gradient is not null && !gradient.HasShape(_shape))
        {
            throw new ArgumentException($"gradient has shape {gradient.ShapeString}, expected {ShapeString}.", nameof(gradient));
        }

        Autograd.RunBackward(this, gradient);
    }

    /// <summary>The gradient tensor, created zero-filled when absent (from the current arena for non-leaf tensors).</summary>
    internal Tensor EnsureGrad() => Grad ??= Node is null ? new Tensor(_shape) : ForOp(_shape);

    /// <summary>A zero-filled result tensor of an operation: storage from the thread's arena when one is in use.</summary>
    internal static Tensor ForOp(params int[] shape)
    {
        var arena = TensorArena.Current;
        if (arena is null)
        {
            return new Tensor(ValidateShape(shape), null);
        }

        var length = 1;
        foreach (var d in shape)
        {
            length = checked(length * d);
        }

        return new Tensor((int[])shape.Clone(), arena.Rent(length));
    }

    /// <summary>A tensor of this shape over existing storage (internal: ownership passes to the tensor).</summary>
    internal static Tensor Wrap(float[] storage, int[] shape) => new(shape, storage);

    private static int[] ValidateShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var d in shape)
        {
            if (d <= 0)
            {
                throw new ArgumentException($"shape [{string.Join(",", shape)}] has a dimension <= 0.", nameof(shape));
            }
        }

        return (int[])shape.Clone();
    }

    /// <inheritdoc />
    public override string ToString() => $"Tensor{ShapeString}";
}
