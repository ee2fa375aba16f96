using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

public static partial class Ops
{
    /// <summary>max(x, 0), element-wise.</summary>
    public static Tensor Relu(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.ForOp(x.ShapeArray);
        var xs = x.Array;
        var ys = y.Array;
        var len = x.Length;
        var chunks = Math.Max(1, Math.Min(EngineThreads.Count * 4, len / 65536));
        EngineThreads.For(chunks, ci =>
        {
            var (lo, hi) = Chunk(len, chunks, ci);
            for (var i = lo; i < hi; i++)
            {
                ys[i] = xs[i] > 0f ? xs[i] : 0f;
            }
        });

        if (Autograd.ShouldRecord(x))
        {
            Autograd.Record(y, "Relu", [x], gy =>
            {
                var gx = x.EnsureGrad().Array;
                var gys = gy.Array;
                EngineThreads.For(chunks, ci =>
                {
                    var (lo, hi) = Chunk(len, chunks, ci);
                    for (var i = lo; i < hi; i++)
                    {
                        if (ys[i] > 0f)
                        {
                            gx[i] += gys[i];
                        }
                    }
                });
            });
        }

        return y;
    }

    /// <summary>a + b, element-wise (same shapes).</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.HasShape(b.Shape))
        {
            throw new ArgumentException($"Add needs equal shapes; a is {a.ShapeString}, b is {b.ShapeString}.", nameof(b));
        }

        var y = Tensor.ForOp(a.ShapeArray);
        var ys = y.Array;
        for (var i = 0; i < y.Length; i++)
        {
            ys[i] = a.Array[i] + b.Array[i];
        }

        if (Autograd.ShouldRecord(a, b))
        {
            Autograd.Record(y, "Add", [a, b], gy =>
            {
                if (a.RequiresGrad)
                {
                    Simd.AddInPlace(a.EnsureGrad().Data, gy.Data);
                }

                if (b.RequiresGrad)
                {
                    Simd.AddInPlace(b.EnsureGrad().Data, gy.Data);
                }
            });
        }

        return y;
    }

    /// <summary>x * s, element-wise.</summary>
    public static Tensor Scale(Tensor x, float s)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.ForOp(x.ShapeArray);
        x.Data.CopyTo(y.Data);
        Simd.Scale(y.Data, s);
        if (Autograd.ShouldRecord(x))
        {
            Autograd.Record(y, "Scale", [x], gy =>
            {
                var gx = x.EnsureGrad().Array;
                var g = gy.Array;
                for (var i = 0; i < x.Length; i++)
                {
                    gx[i] += g[i] * s;
                }
            });
        }

        return y;
    }

    /// <summary>
    /// Inverted dropout: in training, zeroes each element with probability <paramref name="p"/> (drawn from
    /// <paramref name="random"/>, deterministic for a seeded generator) and scales the rest by 1/(1-p); otherwise x.
    /// </summary>
    public static Tensor Dropout(Tensor x, float p, bool training, Random random)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(random);
        if (p is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1).");
        }

        if (!training || p == 0f)
        {
            return x;
        }

        var keep = new float[x.Length];
        var scale = 1f / (1f - p);
        for (var i = 0; i < keep.Length; i++)
        {
            keep[i] = random.NextSingle() >= p ? scale : 0f;
        }

        var y = Tensor.ForOp(x.ShapeArray);
        for (var i = 0; i < keep.Length; i++)
        {
            y.Array[i] = x.Array[i] * keep[i];
        }

        if (Autograd.ShouldRecord(x))
        {
            Autograd.Record(y, "Dropout", [x], gy =>
            {
                var gx = x.EnsureGrad().Array;
                for (var i = 0; i < keep.Length; i++)
                {
                    gx[i] += gy.Array[i] * keep[i];
                }
            });
        }

        return y;
    }

    private static (int Lo, int Hi) Chunk(int length, int chunks, int index)
        => ((int)((long)length * index / chunks), (int)((long)length * (index + 1) / chunks));
}
