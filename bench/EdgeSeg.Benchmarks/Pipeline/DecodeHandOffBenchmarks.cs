using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Pipeline;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Pipeline.Sources;

namespace EdgeSeg.Benchmarks.Pipeline;

/// <summary>
/// Decode plus hand-off of a 1280x720 H.264 file into the pipeline (capture loop, pooled frame, bounded channels,
/// three stages, a sink that only counts) against the shim's raw decode into one reused buffer. One operation is
/// one frame. The clip is made with the ffmpeg tool at set-up (120 frames of its test pattern, libx264 defaults).
/// </summary>
/// <remarks>
/// <see cref="PipelineSteadyState"/> keeps one pipeline running on the looping clip and waits for the next 120
/// published frames: its allocation column is the frame path's steady state. <see cref="PipelineWholeFile"/> builds a
/// pipeline per file (its allocation is the frame pool, allocated once per pipeline).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class DecodeHandOffBenchmarks
{
    private const int Frames = 120;
    private string _folder = string.Empty;
    private string _clip = string.Empty;
    private ImageBuffer _buffer = null!;

    private FramePipeline? _running;
    private SignallingSink _signalling = null!;

    [GlobalSetup(Targets = [nameof(RawShimDecode), nameof(PipelineWholeFile)])]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "edgeseg-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
        _clip = Path.Combine(_folder, "720p.mp4");
        var info = new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-frames:v", $"{Frames}", "-c:v", "libx264", "-pix_fmt", "yuv420p", _clip])
        {
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not make the benchmark clip: " + process.StandardError.ReadToEnd());
        }

        _buffer = new ImageBuffer(1280, 720, 3, GC.AllocateUninitializedArray<byte>(1280 * 720 * 3, pinned: true));
    }

    [GlobalSetup(Target = nameof(PipelineSteadyState))]
    public void SetupRunning()
    {
        Setup();
        _signalling = new SignallingSink();
        _running = new FramePipeline(
            [new VideoFileSource(new FrameSourceOptions { Id = "bench", Uri = _clip, Loop = true })],
            PassThroughProcessor.Instance,
            sinks: [_signalling]);
        _running.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _running?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public int RawShimDecode()
    {
        using var capture = VideoCapture.Open(_clip);
        var n = 0;
        while (capture.Read(_buffer))
        {
            n++;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public Task PipelineSteadyState() => _signalling.WaitForMore(Frames);

    [Benchmark(OperationsPerInvoke = Frames)]
    public async Task<long> PipelineWholeFile()
    {
        var sink = new CountingSink();
        await using var pipeline = new FramePipeline(
            [new VideoFileSource(new FrameSourceOptions { Id = "bench", Uri = _clip })],
            PassThroughProcessor.Instance,
            sinks: [sink]);
        pipeline.Start();
        await pipeline.Completion;
        return sink.Count;
    }

    /// <summary>Counts frames and completes a waiter when a target count is reached.</summary>
    private sealed class SignallingSink : IFrameSink
    {
        private readonly Lock _gate = new();
        private long _count;
        private long _target = long.MaxValue;
        private TaskCompletionSource? _waiter;

        public Task WaitForMore(int frames)
        {
            lock (_gate)
            {
                _target = _count + frames;
                _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _waiter.Task;
            }
        }

        public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (++_count >= _target)
                {
                    _target = long.MaxValue;
                    _waiter?.TrySetResult();
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class CountingSink : IFrameSink
    {
        public long Count { get; private set; }

        public ValueTask PublishAsync(Frame frame, CancellationToken cancellationToken)
        {
            Count++;
            return ValueTask.CompletedTask;
        }
    }
}
