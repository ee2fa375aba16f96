using EdgeSeg.Training.Models;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Schedules;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Tests.Optim;

public class OptimizerTests
{
    private static (UNet Model, Tensor W) OneParam(float value, float grad)
    {
        var model = new UNet(1, 1, 2);
        var p = model.NamedParameters()[0];
        p.Value.Data.Fill(value);
        p.Value.Grad = Tensor.Full(grad, p.Value.ShapeArray);
        return (model, p.Value);
    }

    [Fact]
    public void Sgd_MomentumTwoSteps_MatchesHandComputed()
    {
        var (model, w) = OneParam(1f, 0.5f);
        var opt = new Sgd([model.NamedParameters()[0]], 0.1, momentum: 0.9, weightDecay: 0.1);
        opt.Step();
        // g = 0.5 + 0.1*1 = 0.6; buf = 0.6; w = 1 - 0.06 = 0.94
        Assert.Equal(0.94f, w.Data[0], 6);
        opt.Step();
        // g = 0.5 + 0.094 = 0.594; buf = 0.9*0.6 + 0.594 = 1.134; w = 0.94 - 0.1134
        Assert.Equal(0.94f - 0.1134f, w.Data[0], 5);
    }

    [Fact]
    public void Sgd_ScaledLearningRate_UpdatesThatParameterAtItsOwnRate()
    {
        var model = new UNet(1, 1, 2);
        var ps = model.NamedParameters();
        foreach (var q in ps)
        {
            q.Value.Data.Fill(1f);
            q.Value.Grad = Tensor.Full(0.5f, q.Value.ShapeArray);
        }

        var opt = new Sgd([ps[0], ps[1]], 0.1, momentum: 0);
        opt.ScaleLearningRate([ps[0]], 0.1);
        opt.Step();
        Assert.Equal(1f - (0.01f * 0.5f), ps[0].Value.Data[0], 6);
        Assert.Equal(1f - (0.1f * 0.5f), ps[1].Value.Data[0], 6);
        Assert.Equal(0.1, opt.LearningRateScale(ps[0]));
        Assert.Equal(1.0, opt.LearningRateScale(ps[1]));
    }

    [Fact]
    public void AdamW_FrozenParameter_StaysUnchangedNeedsNoGradientAndTrainsAfterThawing()
    {
        var (model, w) = OneParam(1f, 0.5f);
        var p = model.NamedParameters()[0];
        var opt = new AdamW([p], 0.1, weightDecay: 0.1);
        opt.Freeze([p]);
        Assert.False(w.RequiresGrad);
        Assert.Null(w.Grad);
        Assert.True(opt.IsFrozen(p));
        w.Grad = Tensor.Full(0.5f, w.ShapeArray);
        opt.Step();
        Assert.Equal(1f, w.Data[0]);
        Assert.Empty(opt.StateDict());

        opt.Freeze([p], frozen: false);
        Assert.True(w.RequiresGrad);
        opt.Step();
        Assert.True(w.Data[0] < 1f);
    }

    [Fact]
    public void Freeze_ParameterOfAnotherModel_ThrowsNamingIt()
    {
        var (model, _) = OneParam(1f, 0.5f);
        var other = new UNet(1, 1, 2, seed: 9).NamedParameters()[3];
        var opt = new AdamW([model.NamedParameters()[0]], 0.1);
        var e = Assert.Throws<ArgumentException>(() => opt.Freeze([other]));
        Assert.Contains(other.Name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sgd_Nesterov_UsesLookAhead()
    {
        var (model, w) = OneParam(1f, 1f);
        new Sgd([model.NamedParameters()[0]], 0.1, momentum: 0.5, nesterov: true).Step();
        // buf = 1; d = 1 + 0.5 = 1.5
        Assert.Equal(0.85f, w.Data[0], 6);
    }

    [Fact]
    public void AdamW_FirstStep_MovesByLearningRateAndDecays()
    {
        var (model, w) = OneParam(2f, 0.3f);
        new AdamW([model.NamedParameters()[0]], 0.01, weightDecay: 0.1).Step();
        // decay: 2 * (1 - 0.001) = 1.998; first step moves by lr * m_hat / (sqrt(v_hat)+eps) = lr * sign(g)
        Assert.Equal(1.998f - 0.01f, w.Data[0], 5);
    }

    [Fact]
    public void ClipByNorm_AboveMax_ScalesToMaxAndReturnsNorm()
    {
        var model = new UNet(1, 1, 2);
        var ps = model.NamedParameters();
        foreach (var p in ps)
        {
            p.Value.Grad = Tensor.Full(2f, p.Value.ShapeArray);
        }

        var count = ps.Sum(p => p.Value.Length);
        var norm = GradientClipping.ClipByNorm(ps, 1.0);
        Assert.Equal(2 * Math.Sqrt(count), norm, 6);
        var after = Math.Sqrt(ps.Sum(p => p.Grad!.ToArray().Sum(v => (double)v * v)));
        Assert.Equal(1.0, after, 4);
    }

    [Fact]
    public void Schedules_KnownPoints_MatchFormulas()
    {
        var poly = new PolySchedule(0.1, 100, power: 0.9);
        Assert.Equal(0.1, poly.LearningRate(0), 12);
        Assert.Equal(0.1 * Math.Pow(0.5, 0.9), poly.LearningRate(50), 12);
        Assert.Equal(0.0, poly.LearningRate(100), 12);
        Assert.Equal(0.0, poly.LearningRate(1000), 12);

        var cos = new CosineSchedule(1.0, 10, minRate: 0.1);
        Assert.Equal(1.0, cos.LearningRate(0), 12);
        Assert.Equal(0.55, cos.LearningRate(5), 12);
        Assert.Equal(0.1, cos.LearningRate(10), 12);

        var warm = new WarmupSchedule(cos, 4, startFactor: 0.2);
        Assert.Equal(0.2, warm.LearningRate(0), 12);
        Assert.Equal(0.6, warm.LearningRate(2), 12);
        Assert.Equal(1.0, warm.LearningRate(4), 12);
        Assert.Equal(0.55, warm.LearningRate(9), 12);
    }
}
