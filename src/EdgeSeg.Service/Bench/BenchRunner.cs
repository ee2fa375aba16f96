using System.Diagnostics;
using System.Runtime;
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Pipeline.Processing;
using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSeg.Service.Bench;

/// <summary>
/// <c>edgeseg bench</c>'s work, in one process and one run so the numbers compare as ratios: ONNX Runtime's Run alone on
/// a frame of the clip, then the whole service (the same host <c>edgeseg run</c> builds, with a real broker) flat out,
/// then paced at a low input rate for latency, then optionally a memory soak.
/// </summary>
internal sealed class BenchRunner(BenchRequest request, TextWriter output)
{
    /// <summary>Runs every phase; returns the results, or throws <see cref="BenchException"/> naming what failed.</summary>
    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken)
    {
        var (frameWidth, frameHeight, run, segment, provider) = MeasureRunOnly();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Run-only: {run:0.00} ms per Run ({1000 / run:0.0} fps); segmenter (pre + Run + post): {segment:0.00} ms on {provider}"));

        LocalBroker? broker = null;
        string host;
        int port;
        if (request.Broker is { } given)
        {
            (host, port) = ParseBroker(given);
        }
        else
        {
            broker = await LocalBroker.StartAsync(cancellationToken: cancellationToken);
            (host, port) = ("127.0.0.1", broker.Port);
            output.WriteLine($"broker: a local mosquitto on 127.0.0.1:{port} for this run");
        }

        try
        {
            var loaded = await RunServiceAsync(host, port, paceFps: null, request.Frames, "throughput", cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"service, unpaced: {loaded.Fps:0.0} fps ({loaded.Fps / (1000 / run):0.000} of Run-only); latency p50 {loaded.Latency.P50:0.0} ms, p99 {loaded.Latency.P99:0.0} ms"));

            Percentiles? paced = null;
            if (request.LatencyFrames > 0)
            {
                paced = (await RunServiceAsync(host, port, request.LatencyFps, request.LatencyFrames, "latency", cancellationToken)).Latency;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"service at {request.LatencyFps:0.##} fps: latency p50 {paced.Value.P50:0.0} ms, p99 {paced.Value.P99:0.0} ms ({paced.Value.P99 / run:0.00}x Run)"));
            }

            SoakResult? soak = null;
            if (request.SoakMinutes > 0)
            {
                soak = await SoakAsync(host, port, cancellationToken);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"soak: {soak.Frames} frames in {soak.Minutes:0.#} min; resident {soak.StartResidentMegabytes:0.0} -> {soak.EndResidentMegabytes:0.0} MB ({soak.Growth:+0.00%;-0.00%})"));
            }

            return new BenchResult
            {
                Model = request.ModelPath,
                Input = request.Input,
                FrameWidth = frameWidth,
                FrameHeight = frameHeight,
                Provider = provider,
                Threads = request.Inference.IntraOpThreads,
                Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
                Date = DateTimeOffset.UtcNow,
                RunMilliseconds = run,
                SegmentMilliseconds = segment,
                ServiceFps = loaded.Fps,
                LoadedLatency = loaded.Latency,
                PacedLatency = paced,
                PacedFps = request.LatencyFps,
                Soak = soak,
            };
        }
        finally
        {
            if (broker is not null)
            {
                await broker.DisposeAsync();
            }
        }
    }

    /// <summary>Parses <c>host:port</c>.</summary>
    internal static (string Host, int Port) ParseBroker(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new BenchException($"--mqtt '{text}' is not host:port (e.g. 127.0.0.1:1883)");
        }

        return (text[..colon], port);
    }

    private (int Width, int Height, double RunMs, double SegmentMs, string Provider) MeasureRunOnly()
    {
        ImageBuffer frame;
        try
        {
            using var capture = VideoCapture.Open(request.Input);
            frame = new ImageBuffer(capture.Width, capture.Height, 3);
            if (!capture.Read(frame))
            {
                throw new BenchException($"--input '{request.Input}': no frame could be read");
            }
        }
        catch (EdgeSeg.OpenCv.OpenCvException e)
        {
            throw new BenchException($"--input '{request.Input}': {e.Message}");
        }

        Segmenter segmenter;
        try
        {
            segmenter = OnnxRuntimeBackend.OpenSegmenter(request.ModelPath, request.CardPath, new SegmenterOptions { Inference = request.Inference });
        }
        catch (Exception e) when (e is FileNotFoundException or ModelCardException or OnnxRuntimeException or InvalidDataException or ArgumentException)
        {
            throw new BenchException($"--model '{request.ModelPath}': the model could not be loaded: {e.Message}");
        }

        using (segmenter)
        {
            var mask = new Mask(frame.Width, frame.Height);
            for (var i = 0; i < 10; i++)
            {
                segmenter.Segment(frame, mask);
            }

            double run = 0, total = 0;
            for (var i = 0; i < request.RunIterations; i++)
            {
                segmenter.Segment(frame, mask);
                run += segmenter.LastTimings.Inference.TotalMilliseconds;
                total += segmenter.LastTimings.Total.TotalMilliseconds;
            }

            return (frame.Width, frame.Height, run / request.RunIterations, total / request.RunIterations, segmenter.Providers.Active);
        }
    }

    private async Task<(double Fps, Percentiles Latency)> RunServiceAsync(string host, int port, double? paceFps, int frames, string phase, CancellationToken cancellationToken)
    {
        // Paced, a few frames warm the model up; each costs a second at 1 fps.
        var warmUp = paceFps is null ? request.WarmUpFrames : Math.Min(request.WarmUpFrames, 3);
        var every = Math.Max(1, frames / 20);
        var recorder = new LatencyRecorder(warmUp, frames)
        {
            Progress = n =>
            {
                if (n % every == 0)
                {
                    Progress(phase, (double)n / frames);
                }
            },
        };
        await RunHostAsync(host, port, paceFps, recorder, recorder.Done.Task, phase, cancellationToken);
        if (recorder.Count < frames)
        {
            throw new BenchException($"the {phase} phase stopped after {recorder.Count} of {frames} frames");
        }

        return (recorder.FramesPerSecond(), Percentiles.Of(recorder.LatenciesMilliseconds()));
    }

    private async Task<SoakResult> SoakAsync(string host, int port, CancellationToken cancellationToken)
    {
        var samples = new List<SoakSample>();
        var frames = 0L;
        var clock = Stopwatch.StartNew();
        var minutes = request.SoakMinutes;
        var until = TimeSpan.FromMinutes(minutes);
        var recorder = new LatencyRecorder(0, 1);
        CollectedMemory? collectedStart = null;
        CollectedMemory? collectedEnd = null;

        // The first minute (or tenth of the run) is warm-up: pools fill, the JIT settles, the allocator finds its size.
        var warm = Math.Min(1, minutes / 10);
        Progress("soak", 0);
        // At the clip's own rate, like a camera: memory over time under a service's real load, not a flat-out run.
        await RunHostAsync(host, port, 0, recorder, SampleAsync(), "soak", cancellationToken, app =>
        {
            var appliance = app.Services.GetRequiredService<ApplianceService>();
            frames = appliance.Pipeline?.Snapshot().Sources.Sum(s => s.Captured) ?? 0;
        });

        var span = Math.Max(minutes / 10, 0.25);
        double Mean(IEnumerable<SoakSample> window, Func<SoakSample, double> value) => window.Select(value).DefaultIfEmpty(double.NaN).Average();
        var first = samples.Where(s => s.Minute >= warm && s.Minute < warm + span).ToList();
        var last = samples.Where(s => s.Minute >= minutes - span).ToList();
        return new SoakResult(minutes, frames, Mean(first, s => s.ResidentMegabytes), Mean(last, s => s.ResidentMegabytes), samples.Max(s => s.ResidentMegabytes))
        {
            StartManagedMegabytes = Mean(first, s => s.ManagedMegabytes),
            EndManagedMegabytes = Mean(last, s => s.ManagedMegabytes),
            Samples = samples,
            TrendGrowth = Trend(samples.Where(s => s.Minute >= warm).ToList(), warm, minutes),
            CollectedStart = collectedStart,
            CollectedEnd = collectedEnd,
        };

        async Task SampleAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(minutes * 60 / 120, 0.5, 10)));
            while (clock.Elapsed < until && await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (collectedStart is null && clock.Elapsed.TotalMinutes >= warm)
                {
                    // The only two forced collections of the run: at the end of the warm-up and at the very end. The
                    // samples in between see the service's own collections, as it runs in the field.
                    collectedStart = Collect();
                    continue;
                }

                samples.Add(new SoakSample(clock.Elapsed.TotalMinutes, Environment.WorkingSet / 1048576.0, GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0));
                Progress("soak", clock.Elapsed.TotalMinutes / minutes);
            }

            collectedEnd = Collect();
        }
    }

    /// <summary>A forced, compacting full collection, then resident memory and the live managed heap.</summary>
    private static CollectedMemory Collect()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return new CollectedMemory(Environment.WorkingSet / 1048576.0, GC.GetTotalMemory(forceFullCollection: false) / 1048576.0);
    }

    /// <summary>Growth from <paramref name="from"/> to <paramref name="to"/> minutes along the least-squares line through the samples, relative to its value at <paramref name="from"/>.</summary>
    internal static double Trend(List<SoakSample> samples, double from, double to)
    {
        if (samples.Count < 2)
        {
            return double.NaN;
        }

        var meanX = samples.Average(s => s.Minute);
        var meanY = samples.Average(s => s.ResidentMegabytes);
        var sxx = samples.Sum(s => (s.Minute - meanX) * (s.Minute - meanX));
        if (sxx == 0)
        {
            return double.NaN;
        }

        var slope = samples.Sum(s => (s.Minute - meanX) * (s.ResidentMegabytes - meanY)) / sxx;
        var start = meanY + (slope * (from - meanX));
        return slope * (to - from) / start;
    }

    /// <summary>
    /// Runs the service host with <paramref name="recorder"/> as its last sink until <paramref name="until"/> completes.
    /// <paramref name="paceFps"/>: null reads the clip as fast as it decodes, 0 at its own rate, above 0 at that rate.
    /// </summary>
    private async Task RunHostAsync(string host, int port, double? paceFps, LatencyRecorder recorder, Task until, string phase, CancellationToken cancellationToken,
        Action<WebApplication>? beforeStop = null)
    {
        var state = Directory.CreateTempSubdirectory("edgeseg-bench-state-").FullName;
        var inference = request.Inference;
        List<string> overrides =
        [
            "--Device:Id=bench", "--Sources:0:Id=bench", $"--Sources:0:Uri={request.Input}", "--Sources:0:Loop=true",
            $"--Sources:0:Pace={(paceFps is null ? "false" : "true")}",
            $"--Model:Path={request.ModelPath}", $"--Model:Providers={string.Join(',', inference.Providers)}",
            string.Create(CultureInfo.InvariantCulture, $"--Model:IntraOpThreads={inference.IntraOpThreads}"),
            string.Create(CultureInfo.InvariantCulture, $"--Model:DeviceId={inference.DeviceId}"),
            $"--Model:TensorRt:Fp16={(inference.TensorRtFp16 ? "true" : "false")}",
            $"--Mqtt:Host={host}", string.Create(CultureInfo.InvariantCulture, $"--Mqtt:Port={port}"),
            "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={state}", "--Logging:LogLevel:Default=Warning",
        ];
        if (inference.LibraryPath is { } library)
        {
            overrides.Add($"--Model:LibraryPath={library}");
        }

        if (inference.TensorRtCachePath is { } cache)
        {
            overrides.Add($"--Model:TensorRt:CacheDirectory={cache}");
        }

        if (paceFps is { } fps and > 0)
        {
            overrides.Add(string.Create(CultureInfo.InvariantCulture, $"--Sources:0:Fps={fps}"));
        }

        if (request.CardPath is { } card)
        {
            overrides.Add($"--Model:Card={card}");
        }

        var app = new TaskCompletionSource<WebApplication>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringWriter();
        var hosted = Task.Run(() => RunCommand.RunAsync(null, overrides, new RunMode(false, false), errors,
            services => services.AddSingleton<IFrameSink>(recorder), started => app.TrySetResult(started)), cancellationToken);
        try
        {
            var first = await Task.WhenAny(app.Task, hosted);
            if (first == hosted)
            {
                throw new BenchException($"the service did not start for the {phase} phase (exit {await hosted}): {errors.ToString().Trim()}");
            }

            var running = await app.Task;
            var done = await Task.WhenAny(until, hosted, Task.Delay(Timeout.Infinite, cancellationToken));
            if (done == hosted)
            {
                throw new BenchException($"the service stopped during the {phase} phase (exit {await hosted}): {errors.ToString().Trim()}");
            }

            beforeStop?.Invoke(running);
            running.Lifetime.StopApplication();
            await hosted;
        }
        finally
        {
            try
            {
                Directory.Delete(state, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS's temp cleanup.
            }
        }
    }

    private static void Progress(string phase, double fraction)
    {
        if (!Console.IsErrorRedirected)
        {
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{phase}: {fraction:0%}   {(fraction >= 1 ? "\r" : "")}"));
        }
    }
}

/// <summary>A bench input or phase failed; the message names which and why.</summary>
internal sealed class BenchException(string message) : Exception(message);
