using EdgeSeg.Service.Metrics;

namespace EdgeSeg.Service.Tests.Metrics;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Scrape_CounterAndGaugeWithLabels_ExactPrometheusText()
    {
        var registry = new MetricsRegistry();
        var frames = registry.Counter("edgeseg_test_frames_total", "Frames.\nSecond \\ line.", "source");
        var depth = registry.Gauge("edgeseg_test_depth", "Depth.");
        frames.WithLabels("cam\"1\\\n").Add(3);
        frames.WithLabels("cam0").Increment();
        depth.WithLabels().Set(2.5);

        var text = registry.Scrape();

        Assert.Equal(
            "# HELP edgeseg_test_frames_total Frames.\\nSecond \\\\ line.\n"
            + "# TYPE edgeseg_test_frames_total counter\n"
            + "edgeseg_test_frames_total{source=\"cam\\\"1\\\\\\n\"} 3\n"
            + "edgeseg_test_frames_total{source=\"cam0\"} 1\n"
            + "# HELP edgeseg_test_depth Depth.\n"
            + "# TYPE edgeseg_test_depth gauge\n"
            + "edgeseg_test_depth 2.5\n",
            text);
    }

    [Fact]
    public void Scrape_Histogram_CumulativeBucketsSumAndCount()
    {
        var registry = new MetricsRegistry();
        var latency = registry.Histogram("edgeseg_test_seconds", "Latency.", [0.25, 0.5, 1], "stage");
        var child = latency.WithLabels("run");
        foreach (var value in new[] { 0.125, 0.25, 0.375, 0.75, 2.0 })
        {
            child.Observe(value);
        }

        var text = registry.Scrape();

        Assert.Equal(
            "# HELP edgeseg_test_seconds Latency.\n"
            + "# TYPE edgeseg_test_seconds histogram\n"
            + "edgeseg_test_seconds_bucket{stage=\"run\",le=\"0.25\"} 2\n"
            + "edgeseg_test_seconds_bucket{stage=\"run\",le=\"0.5\"} 3\n"
            + "edgeseg_test_seconds_bucket{stage=\"run\",le=\"1\"} 4\n"
            + "edgeseg_test_seconds_bucket{stage=\"run\",le=\"+Inf\"} 5\n"
            + "edgeseg_test_seconds_sum{stage=\"run\"} 3.5\n"
            + "edgeseg_test_seconds_count{stage=\"run\"} 5\n",
            text);
    }

    [Fact]
    public void Histogram_Quantile_InterpolatesInsideTheBucket()
    {
        var histogram = new Histogram([1, 2, 4]);
        for (var i = 0; i < 10; i++)
        {
            histogram.Observe(1.5);
        }

        // All ten in (1, 2]: the median is interpolated half-way through that bucket.
        Assert.Equal(1.5, histogram.Quantile(0.5), 12);
        Assert.Equal(2.0, histogram.Quantile(1.0), 12);
        Assert.True(double.IsNaN(new Histogram([1]).Quantile(0.5)));
    }

    [Fact]
    public void Histogram_ConcurrentObservations_CountAndSumExact()
    {
        var histogram = new Histogram([0.5]);

        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Observe(0.25);
            }
        });

        Assert.Equal(40_000, histogram.Count);
        Assert.Equal(10_000.0, histogram.Sum, 9);
    }

    [Fact]
    public void Scrape_Collector_RunsBeforeWriting()
    {
        var registry = new MetricsRegistry();
        var gauge = registry.Gauge("edgeseg_test_collected", "Collected.").WithLabels();
        var calls = 0;
        registry.OnCollect(() => gauge.Set(++calls));

        registry.Scrape();
        var text = registry.Scrape();

        Assert.Contains("edgeseg_test_collected 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_AdvanceTo_NeverGoesBack()
    {
        var counter = new Counter();
        counter.AdvanceTo(10);
        counter.AdvanceTo(4);

        Assert.Equal(10, counter.Value);
    }

    [Theory]
    [InlineData("1bad")]
    [InlineData("with-dash")]
    [InlineData("")]
    public void Counter_InvalidName_Throws(string name)
    {
        var registry = new MetricsRegistry();

        Assert.Throws<ArgumentException>(() => registry.Counter(name, "x"));
    }

    [Fact]
    public void Counter_ReservedLabel_Throws()
    {
        var registry = new MetricsRegistry();

        Assert.Throws<ArgumentException>(() => registry.Histogram("edgeseg_x", "x", [1], "le"));
        Assert.Throws<ArgumentException>(() => registry.Counter("edgeseg_y", "x", "__name"));
    }

    [Fact]
    public void Register_SameNameTwice_Throws()
    {
        var registry = new MetricsRegistry();
        registry.Counter("edgeseg_twice", "x");

        Assert.Throws<InvalidOperationException>(() => registry.Gauge("edgeseg_twice", "x"));
    }

    [Fact]
    public void WithLabels_WrongNumberOfValues_Throws()
    {
        var registry = new MetricsRegistry();
        var family = registry.Counter("edgeseg_labels", "x", "a", "b");

        Assert.Throws<ArgumentException>(() => family.WithLabels("only-one"));
    }
}
