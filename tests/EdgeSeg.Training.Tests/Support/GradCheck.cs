using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Tests.Support;

/// <summary>
/// Gradient check: the engine's analytic gradient of sum(r * f(x)) against central finite differences of the
/// double-precision reference f_ref (step 1e-6), and the engine's forward against f_ref.
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> engine, Func<double[][], double[]> reference, Tensor[] inputs, int seed = 7, double forwardTol = 2e-5, double gradTol = 2e-4)
    {
        foreach (var t in inputs)
        {
            t.RequiresGrad = true;
            t.ZeroGrad(setToNull: true);
        }

        var y = engine(inputs);
        var xd = inputs.Select(t => t.Data.ToArray().Select(v => (double)v).ToArray()).ToArray();
        var yRef = reference(xd);
        Assert.Equal(yRef.Length, y.Length);
        var scale = Math.Max(1e-3, yRef.Max(Math.Abs));
        for (var i = 0; i < yRef.Length; i++)
        {
            var err = Math.Abs(y.Data[i] - yRef[i]);
            Assert.True(err <= forwardTol * scale, $"forward [{i}]: engine {y.Data[i]} vs reference {yRef[i]}");
        }

        var rng = new Random(seed);
        var r = new Tensor(y.ShapeArray);
        for (var i = 0; i < r.Length; i++)
        {
            r.Data[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        var rd = r.Data.ToArray().Select(v => (double)v).ToArray();
        y.Backward(r);
        double Objective()
        {
            var yy = reference(xd);
            var s = 0.0;
            for (var i = 0; i < yy.Length; i++)
            {
                s += rd[i] * yy[i];
            }

            return s;
        }

        for (var a = 0; a < inputs.Length; a++)
        {
            var grad = inputs[a].Grad;
            Assert.NotNull(grad);
            var numeric = new double[xd[a].Length];
            for (var i = 0; i < numeric.Length; i++)
            {
                var orig = xd[a][i];
                const double h = 1e-6;
                xd[a][i] = orig + h;
                var plus = Objective();
                xd[a][i] = orig - h;
                var minus = Objective();
                xd[a][i] = orig;
                numeric[i] = (plus - minus) / (2 * h);
            }

            var gscale = Math.Max(1e-3, numeric.Max(Math.Abs));
            for (var i = 0; i < numeric.Length; i++)
            {
                var err = Math.Abs(grad.Data[i] - numeric[i]);
                Assert.True(err <= gradTol * gscale, $"input {a} grad [{i}]: analytic {grad.Data[i]} vs numeric {numeric[i]} (scale {gscale})");
            }
        }
    }

    public static Tensor Random(int seed, params int[] shape) => Random(seed, 1f, shape);

    public static Tensor Random(int seed, float std, params int[] shape)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape);
        for (var i = 0; i < t.Length; i++)
        {
            t.Data[i] = (float)(((rng.NextDouble() * 2) - 1) * std * 1.7);
        }

        return t;
    }
}
