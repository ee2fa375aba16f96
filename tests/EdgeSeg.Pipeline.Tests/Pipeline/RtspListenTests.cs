using EdgeSeg.OpenCv.Tests.Support;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Pipeline.Tests.Sources;
using EdgeSeg.Pipeline.Tests.Support;

namespace EdgeSeg.Pipeline.Tests.Pipeline;

// OpenCV passes FFmpeg options through one process-wide variable; the listen flag must not leak into other tests' opens.
[Collection(nameof(NonParallelGroup))]
public sealed class RtspListenTests(SourceClips clips) : IClassFixture<SourceClips>
{
    [Fact]
    public async Task Run_RtspPushedByFfmpegIntoListeningCapture_DeliversFrames()
    {
        var port = Net.FreePort();
        var url = $"rtsp://127.0.0.1:{port}/live";
        var sink = new RecordingSink();
        var source = new StreamSource(new FrameSourceOptions
        {
            Id = "pushed",
            Uri = url,
            FfmpegOptions = "rtsp_flags;listen",
            OpenTimeout = TimeSpan.FromSeconds(20),
            ReadTimeout = TimeSpan.FromSeconds(5),
        });
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = new FramePipeline([source], sinks: [sink]);
        pipeline.SourceEvent += (_, e) =>
        {
            if (e.State == SourceState.Reconnecting)
            {
                running.TrySetException(new InvalidOperationException(e.Reason));
            }
        };

        pipeline.Start();
        // The capture listens; ffmpeg connects and pushes. A push that starts before the listener is bound is
        // refused and ffmpeg exits, so it is restarted until frames flow.
        var frames = sink.WaitForAsync(10, TimeSpan.FromSeconds(30));
        System.Diagnostics.Process? pusher = null;
        try
        {
            while (!frames.IsCompleted && !running.Task.IsCompleted)
            {
                if (pusher is null || pusher.HasExited)
                {
                    pusher?.Dispose();
                    pusher = Ffmpeg.Start(["-v", "error", "-re", "-stream_loop", "-1", "-i", clips.LiveClip, "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url], redirectOutput: false);
                }

                await Task.WhenAny(frames, running.Task, pusher.WaitForExitAsync());
            }

            await Task.WhenAny(frames, running.Task).Unwrap();
        }
        finally
        {
            pusher?.Kill(entireProcessTree: true);
            pusher?.Dispose();
        }

        await pipeline.StopAsync();
        Assert.True(sink.Received.Count >= 10);
        Assert.Equal((320, 240), (source.Width, source.Height));
        var indices = sink.Received.Select(r => r.Index).ToList();
        Assert.True(indices.Zip(indices.Skip(1)).All(p => p.Second > p.First));
    }
}
