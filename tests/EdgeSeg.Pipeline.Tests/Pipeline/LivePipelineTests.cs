using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Pipeline.Tests.Sources;
using EdgeSeg.Pipeline.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Pipeline;

public sealed class LivePipelineTests(SourceClips clips) : IClassFixture<SourceClips>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly PipelineOptions FastReconnect = new()
    {
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), 0.2),
        DrainTimeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task Run_HttpMpegTsFromFfmpeg_DeliversFramesWithStreamTimestamps()
    {
        using var server = new HttpTsServer(clips.LiveClip, Net.FreePort());
        var sink = new RecordingSink();
        await using var pipeline = new FramePipeline([Stream("live", server.Url)], sinks: [sink], options: FastReconnect);

        pipeline.Start();
        await sink.WaitForAsync(15, Timeout);
        await pipeline.StopAsync();

        var got = sink.Received.ToList();
        var s = pipeline.Snapshot().Sources.Single();
        AssertIncreasingWithGapsOnlyFromDrops(got.Select(r => r.Index).ToList(), s.Dropped);
        var stamped = got.Where(r => r.StreamMs is not null).Select(r => r.StreamMs!.Value).ToList();
        Assert.True(stamped.Count >= got.Count - 1, "MPEG-TS frames carry presentation timestamps");
        Assert.True(stamped.Zip(stamped.Skip(1)).All(p => p.Second > p.First), "stream timestamps increase");
        Assert.Equal((FrameSourceKind.Stream, SourceState.Stopped), (s.Kind, s.State));
        Assert.True(s.CaptureFps > 0);
    }

    [Fact]
    public async Task Run_ServerAcceptsButNeverAnswers_OpenGivesUpAndSupervisionRetries()
    {
        using var silent = new SilentTcpServer();
        var url = $"http://127.0.0.1:{silent.Port}/never.ts";
        var attempts = new TaskCompletionSource<SourceEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var changes = new List<SourceState>();
        await using var pipeline = new FramePipeline(
            [new StreamSource(new FrameSourceOptions { Id = "silent", Uri = url, OpenTimeout = TimeSpan.FromSeconds(1), ReadTimeout = TimeSpan.FromSeconds(1) })],
            options: FastReconnect);
        pipeline.SourceEvent += (_, e) =>
        {
            if (e.StateChanged)
            {
                lock (changes)
                {
                    changes.Add(e.State);
                }
            }

            if (e.OpenAttempts >= 3 && e.State == SourceState.Reconnecting)
            {
                attempts.TrySetResult(e);
            }
        };

        pipeline.Start();
        // Three opens, each bounded by the 1 s open timeout (OpenCV's default would block ~30 s on the first).
        var third = await attempts.Task.WaitAsync(Timeout);
        await pipeline.StopAsync();

        Assert.Contains(url, third.Reason);
        Assert.Contains("silent", third.Reason);
        Assert.True(silent.Connections >= 3, $"the server saw {silent.Connections} connections");
        lock (changes)
        {
            // The repeated failures are one state change, not one per retry.
            Assert.Equal([SourceState.Reconnecting, SourceState.Stopped], changes);
        }

        Assert.Equal(0, pipeline.Snapshot().Sources.Single().Captured);
    }

    [Fact]
    public async Task Run_StreamDiesAndComesBack_SourceResumesAndGapShowsInMetrics()
    {
        var port = Net.FreePort();
        var server = new HttpTsServer(clips.LiveClip, port);
        var sink = new RecordingSink();
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = new FramePipeline([Stream("flaky", server.Url)], sinks: [sink], options: FastReconnect);
        pipeline.SourceEvent += (_, e) =>
        {
            if (e.StateChanged && e.State == SourceState.Reconnecting)
            {
                lost.TrySetResult();
            }
            else if (e.StateChanged && e.State == SourceState.Running && lost.Task.IsCompleted)
            {
                resumed.TrySetResult();
            }
        };

        try
        {
            pipeline.Start();
            await sink.WaitForAsync(10, Timeout);
            server.Kill();
            await lost.Task.WaitAsync(Timeout);
            var beforeResume = sink.Received.Count;
            server.Dispose();
            server = new HttpTsServer(clips.LiveClip, port);
            await resumed.Task.WaitAsync(Timeout);
            await sink.WaitForAsync(beforeResume + 10, Timeout);
        }
        finally
        {
            await pipeline.StopAsync();
            server.Dispose();
        }

        var s = pipeline.Snapshot().Sources.Single();
        Assert.True(s.Reconnects >= 1);
        Assert.True(s.LongestGap > TimeSpan.Zero);
        Assert.True(s.OpenAttempts >= 2);
        // Indices keep counting across the reconnect (no reset to 0).
        AssertIncreasingWithGapsOnlyFromDrops(sink.Received.Select(r => r.Index).ToList(), s.Dropped);
    }

    [Fact]
    public async Task Run_SlowConsumerOnLiveSource_DropsOldestWithBoundedPoolAndLag()
    {
        using var server = new HttpTsServer(clips.LiveClip, Net.FreePort());
        // 25 fps in, ~12 fps out: about half the frames must be dropped.
        var sink = new RecordingSink(delayPerFrame: TimeSpan.FromMilliseconds(80));
        var options = FastReconnect with { LiveQueueCapacity = 2, StageQueueCapacity = 2 };
        await using var pipeline = new FramePipeline([Stream("busy", server.Url)], sinks: [sink], options: options);

        pipeline.Start();
        await sink.WaitForAsync(25, Timeout);
        var during = pipeline.Snapshot().Sources.Single();
        await pipeline.StopAsync();

        var s = pipeline.Snapshot().Sources.Single();
        Assert.True(s.Dropped > 0, "a live source behind a slow consumer drops frames");
        Assert.True(during.QueueDepth <= options.LiveQueueCapacity);
        // Every captured frame is accounted for: published, dropped from the live queue, or released at stop.
        Assert.InRange(s.Captured - s.Published - s.Dropped, 0, 2 + (2 * options.StageQueueCapacity) + 2);
        // Memory stays flat: every frame the sink ever saw came from one fixed pool.
        var poolSize = options.LiveQueueCapacity + 1 + (2 * options.StageQueueCapacity) + 2 + 2;
        Assert.InRange(sink.DistinctFrames.Count, 1, poolSize);
        // Latency stays bounded: between consecutive published frames, the skipped indices are the drops, never a
        // growing backlog; the published indices advance with the stream.
        var indices = sink.Received.Select(r => r.Index).ToList();
        Assert.True(indices.Zip(indices.Skip(1)).All(p => p.Second > p.First));
        Assert.True(indices[^1] >= indices.Count, "published frames skip the dropped ones");
    }

    /// <summary>
    /// A live source's queue drops the oldest frame whenever the pipeline is momentarily behind (at start-up the
    /// stream's first buffered frames arrive in a burst), so published indices may skip, but only by dropped frames.
    /// </summary>
    private static void AssertIncreasingWithGapsOnlyFromDrops(List<long> indices, long dropped)
    {
        Assert.NotEmpty(indices);
        Assert.True(indices.Zip(indices.Skip(1)).All(p => p.Second > p.First), "indices increase");
        var skipped = indices[^1] - indices[0] + 1 - indices.Count + indices[0];
        Assert.InRange(skipped, 0, dropped);
    }

    private static StreamSource Stream(string id, string url) =>
        new(new FrameSourceOptions { Id = id, Uri = url, OpenTimeout = TimeSpan.FromSeconds(3), ReadTimeout = TimeSpan.FromSeconds(2) });
}
