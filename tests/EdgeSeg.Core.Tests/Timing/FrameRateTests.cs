using EdgeSeg.Core.Timing;

namespace EdgeSeg.Core.Tests.Timing;

public sealed class FrameRateTests
{
    [Theory]
    [InlineData(0.001, true)]
    [InlineData(1000, true)]
    [InlineData(25, true)]
    [InlineData(0.000999, false)]
    [InlineData(1e-300, false)]
    [InlineData(1000.0001, false)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void IsValid_Rate_IsTheDocumentedRange(double fps, bool expected) => Assert.Equal(expected, FrameRate.IsValid(fps));

    [Theory]
    [InlineData(1, 1e-300)]
    [InlineData(1e300, 1)]
    [InlineData(1, 1.08e-12)] // just past the largest period a TimeSpan holds
    [InlineData(1, double.Epsilon)]
    public void Duration_PeriodBeyondTimeSpan_SaturatesInsteadOfThrowing(double frames, double fps) =>
        Assert.Equal(TimeSpan.MaxValue, FrameRate.Duration(frames, fps));

    [Theory]
    [InlineData(10, 25, 4_000_000)]
    [InlineData(1, 0.001, 10_000_000_000)]
    [InlineData(3, 1000, 30_000)]
    public void Duration_ValidRate_IsFramesOverRate(double frames, double fps, long expectedTicks) =>
        Assert.Equal(TimeSpan.FromTicks(expectedTicks), FrameRate.Duration(frames, fps));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    public void Duration_RateNotPositive_IsZero(double fps) => Assert.Equal(TimeSpan.Zero, FrameRate.Duration(5, fps));

    [Theory]
    [InlineData(999_999, 0.001, false)]
    [InlineData(1_000_000, 0.001, true)]
    [InlineData(39, 25, false)]
    [InlineData(40, 25, true)]
    [InlineData(1_000_000_000, 1e-300, false)]
    [InlineData(0, 0, true)]
    public void PeriodElapsed_ElapsedMilliseconds_ComparesWithOnePeriod(long elapsedMilliseconds, double fps, bool expected) =>
        Assert.Equal(expected, FrameRate.PeriodElapsed(TimeSpan.FromMilliseconds(elapsedMilliseconds), fps));
}
