using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EdgeSeg.Core.Segmentation;
using EdgeSeg.OnnxRuntime;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Pipeline;
using EdgeSeg.Pipeline.Diagnostics;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Scene.Events;
using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Configuration;
using EdgeSeg.Service.Metrics;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace EdgeSeg.Service.Trips;

/// <summary>
/// <c>edgeseg process</c>'s work: recorded drives through the service's own frame pipeline (its
/// <see cref="SegmentationStage"/> and <see cref="SceneStage"/>: the same segmenter, scene analyser and event tracker),
/// with a <see cref="TripSink"/> where the service has its MQTT sink. Files are read unpaced and never skip a frame;
/// up to <see cref="FilesAtOnce"/> go through one pipeline together (their frames batched when
/// <c>Pipeline:BatchSize</c> allows). Each trip is written to a hidden partial folder and renamed into place when it is
/// complete, so an interrupted run leaves no trip that looks finished, and a re-run skips the finished ones.
/// </summary>
internal sealed class ProcessRunner(ProcessRequest request, IAnsiConsole console, TextWriter error)
{
    private readonly List<TripOutcome> _outcomes = [];

    /// <summary>How many files go through the pipeline together: <paramref name="parallel"/> when given, else the larger of the batch size and a quarter of the cores (a decode thread each), at most the files.</summary>
    public static int FilesAtOnce(int parallel, int batchSize, int files) =>
        Math.Clamp(parallel > 0 ? parallel : Math.Max(batchSize, Environment.ProcessorCount / 4), 1, Math.Max(1, files));

    /// <summary>Runs; returns the exit code (0 every trip done or skipped; 4 an input failed; 2 bad configuration; 3 no model).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        ProcessSettings settings;
        try
        {
            var configuration = ConfigurationLayers.Build(request.ConfigFile, request.Overrides);
            settings = ProcessSettings.Load(configuration, new SettingsContext());
        }
        catch (InvalidConfigurationException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.InvalidConfiguration;
        }

        var plans = Plan();
        if (plans.Count > 0)
        {
            var code = await ProcessAsync(plans, settings, cancellationToken);
            if (code != ExitCodes.Ok)
            {
                return code;
            }
        }

        WriteTable();
        return _outcomes.Any(o => o.Status == TripOutcome.Failed) ? ExitCodes.SourceUnavailable : ExitCodes.Ok;
    }

    private List<TripPlan> Plan()
    {
        var (files, failures) = TripInputs.Expand(request.Inputs);
        _outcomes.AddRange(failures);
        var output = Path.GetFullPath(request.OutputDirectory);
        var plans = new List<TripPlan>();
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var id = Path.GetFileNameWithoutExtension(file);
            if (byId.TryGetValue(id, out var first))
            {
                _outcomes.Add(new TripOutcome(file, TripOutcome.Failed, $"has the same name as {first}: both would be trip {id}; process it into another --out"));
                continue;
            }

            byId[id] = file;
            var plan = new TripPlan(id, file, Path.Combine(output, id), new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero));
            if (!request.Force && File.Exists(Path.Combine(plan.Directory, "summary.json")))
            {
                _outcomes.Add(new TripOutcome(file, TripOutcome.Skipped, $"finished earlier in {plan.Directory} (--force redoes it)"));
                continue;
            }

            plans.Add(Probe(plan));
        }

        return plans;
    }

    /// <summary>The file's declared frame count and rate, for progress and the overlay video. A file that cannot be opened is left to the pipeline's source, which says why.</summary>
    private static TripPlan Probe(TripPlan plan)
    {
        try
        {
            using var capture = VideoCapture.Open(plan.Input, new VideoCaptureOptions { Backend = CaptureBackend.Ffmpeg });
            return plan with { DeclaredFrames = Math.Max(0, capture.FrameCount), Fps = capture.Fps };
        }
        catch (OpenCvException)
        {
            return plan;
        }
    }

    private async Task<int> ProcessAsync(List<TripPlan> plans, ProcessSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(request.OutputDirectory);
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        Segmenter segmenter;
        try
        {
            var model = settings.Model;
            segmenter = OnnxRuntimeBackend.OpenSegmenter(model.Path, model.CardPath, ApplianceOptions.Segmenter(model, settings.Pipeline.BatchSize, _ => { }));
        }
        catch (Exception e) when (e is FileNotFoundException or ModelCardException or OnnxRuntimeException or InvalidDataException or ArgumentException)
        {
            await error.WriteLineAsync($"process: Model:Path = '{settings.Model.Path}': the model could not be loaded: {e.Message}");
            return ExitCodes.ModelUnavailable;
        }

        var metrics = new ServiceMetrics(new MetricsRegistry());
        using var stage = new SegmentationStage(segmenter, metrics, settings.Pipeline.OverlapInference);
        var atOnce = FilesAtOnce(request.Parallel, settings.Pipeline.BatchSize, plans.Count);
        console.MarkupLineInterpolated($"model [bold]{segmenter.Card.Name}[/] on {segmenter.Providers.Active}; {plans.Count} file(s), {atOnce} at a time -> {Path.GetFullPath(request.OutputDirectory)}");

        // Longest first, so files that go through together are of similar length and none waits long for the others.
        var waves = plans.OrderByDescending(p => p.DeclaredFrames).ThenBy(p => p.Input, StringComparer.Ordinal).Chunk(atOnce).ToArray();
        var total = plans.Sum(p => p.DeclaredFrames);
        var context = new WaveContext(settings, stage, metrics, segmenter, loggers);
        if (console.Profile.Capabilities.Interactive)
        {
            await console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var overall = progress.AddTask("[bold]all files[/]", maxValue: Math.Max(1, total));
                    long before = 0;
                    foreach (var wave in waves)
                    {
                        var tasks = wave.ToDictionary(p => p.Id, p => progress.AddTask(Markup.Escape(p.Id), maxValue: Math.Max(1, p.DeclaredFrames)));
                        await RunWaveAsync(wave, context, snapshot =>
                        {
                            long done = 0;
                            foreach (var source in snapshot.Sources)
                            {
                                tasks[source.Id].Value = source.Published;
                                done += source.Published;
                            }

                            overall.Value = before + done;
                        }, cancellationToken);
                        foreach (var (id, task) in tasks)
                        {
                            task.Value = task.MaxValue;
                            task.StopTask();
                        }

                        before += wave.Sum(p => p.DeclaredFrames);
                    }

                    overall.Value = overall.MaxValue;
                });
        }
        else
        {
            // No live bar in a log or a pipe: a line every few seconds with the rate and the time left.
            var clock = Stopwatch.StartNew();
            var last = TimeSpan.Zero;
            long before = 0;
            foreach (var wave in waves)
            {
                await RunWaveAsync(wave, context, snapshot =>
                {
                    if (clock.Elapsed - last < TimeSpan.FromSeconds(5))
                    {
                        return;
                    }

                    last = clock.Elapsed;
                    var done = before + snapshot.Sources.Sum(s => s.Published);
                    var rate = done / Math.Max(1e-3, clock.Elapsed.TotalSeconds);
                    var left = done == 0 ? "time left not known yet"
                        : string.Create(CultureInfo.InvariantCulture, $"about {TimeSpan.FromSeconds(Math.Max(0, total - done) / rate):hh\\:mm\\:ss} left");
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{total} frames, {rate:0.0} frames/s, {left}"));
                }, cancellationToken);
                before += wave.Sum(p => p.DeclaredFrames);
            }
        }

        return ExitCodes.Ok;
    }

    private async Task RunWaveAsync(TripPlan[] wave, WaveContext context, Action<PipelineSnapshot> report, CancellationToken cancellationToken)
    {
        var recorders = new Dictionary<string, TripRecorder>(StringComparer.Ordinal);
        try
        {
            foreach (var plan in wave)
            {
                recorders[plan.Id] = new TripRecorder(plan, request.Options);
            }
        }
        catch (IOException e)
        {
            foreach (var r in recorders.Values)
            {
                r.Dispose();
            }

            foreach (var plan in wave)
            {
                _outcomes.Add(new TripOutcome(plan.Input, TripOutcome.Failed, $"cannot write its trip folder: {e.Message}"));
            }

            return;
        }

        var faults = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var ids = wave.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var origins = wave.ToDictionary(p => p.Id, p => p.Origin, StringComparer.Ordinal);
        IFrameSource[] sources = [.. wave.Select(p => new VideoFileSource(new FrameSourceOptions { Id = p.Id, Uri = p.Input, Paced = false, Loop = false }))];
        using var scene = new SceneStage(context.Settings.Scene, context.Metrics, ids, origins);
        var pipeline = new FramePipeline(sources, context.Stage, [scene], [new TripSink(recorders)], ApplianceOptions.Pipeline(context.Settings.Pipeline),
            context.Loggers.CreateLogger<FramePipeline>());
        PipelineSnapshot snapshot;
        double wallSeconds;
        await using (pipeline)
        {
            pipeline.SourceEvent += (_, e) =>
            {
                if (e.State == SourceState.Faulted)
                {
                    faults[e.SourceId] = e.Reason ?? "the source failed";
                }
            };
            var start = Stopwatch.GetTimestamp();
            pipeline.Start();
            using (cancellationToken.Register(() => _ = pipeline.StopAsync()))
            {
                while (!pipeline.Completion.IsCompleted)
                {
                    await Task.WhenAny(pipeline.Completion, Task.Delay(250, CancellationToken.None));
                    report(pipeline.Snapshot());
                }
            }

            await pipeline.Completion;
            wallSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            snapshot = pipeline.Snapshot();
            report(snapshot);
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var plan in wave)
        {
            var recorder = recorders[plan.Id];
            recorder.Complete();
            var source = snapshot.Sources.Single(s => s.Id == plan.Id);
            var reason = faults.TryGetValue(plan.Id, out var fault) ? fault
                : source.Failed > 0 ? $"{source.Failed} of its {source.Captured} frames failed in a pipeline stage (the log above says why); no frame may be skipped"
                : source.Captured == 0 ? "no frame could be decoded"
                : recorder.Frames != source.Captured ? $"{source.Captured} frames decoded but {recorder.Frames} written"
                : null;
            if (reason is not null)
            {
                Directory.Delete(plan.PartialDirectory, recursive: true);
                _outcomes.Add(new TripOutcome(plan.Input, TripOutcome.Failed, reason));
                continue;
            }

            try
            {
                var sceneLatency = context.Metrics.StageLatency.WithLabels(plan.Id, "scene");
                var sceneMs = sceneLatency.Count > 0 ? 1000 * sceneLatency.Sum / sceneLatency.Count : 0;
                var summary = TripSummary.Compute(recorder, context.Settings.Report, context.Segmenter.Card.Name, context.Segmenter.Providers.Active, sceneMs,
                    wave.Sum(p => recorders[p.Id].Frames) / Math.Max(1e-6, wallSeconds));
                summary.WriteJson(Path.Combine(plan.PartialDirectory, "summary.json"));
                TripReport.Write(Path.Combine(plan.PartialDirectory, "report.html"), summary, recorder.Facts, recorder.Thumbnails);
                if (Directory.Exists(plan.Directory))
                {
                    // --force: the finished trip is replaced only now that its successor is complete.
                    Directory.Delete(plan.Directory, recursive: true);
                }

                Directory.Move(plan.PartialDirectory, plan.Directory);
                _outcomes.Add(new TripOutcome(plan.Input, TripOutcome.Done, "", summary));
            }
            catch (IOException e)
            {
                _outcomes.Add(new TripOutcome(plan.Input, TripOutcome.Failed, $"its trip could not be written to {plan.Directory}: {e.Message}"));
            }
        }
    }

    private void WriteTable()
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            // Wide enough for the reasons when the output is a file or a pipe (Spectre assumes 80 there).
            console.Profile.Width = Math.Max(console.Profile.Width, 240);
        }

        var table = new Table().Title("edgeseg process").AddColumns("input", "status", "frames", "duration s", "events", "min TTC s", "score", "reason");
        foreach (var o in _outcomes)
        {
            var s = o.Summary;
            var events = s is null ? "" : string.Join(", ", s.Events.Where(e => e.Value.Count > 0).Select(e => $"{SceneEventNames.Of(e.Key)} {e.Value.Count}"));
            table.AddRow(
                Markup.Escape(Path.GetFileName(o.Input) is { Length: > 0 } name ? name : o.Input),
                o.Status == TripOutcome.Failed ? "[red]failed[/]" : o.Status,
                s?.Frames.ToString(CultureInfo.InvariantCulture) ?? "",
                s is null ? "" : s.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                Markup.Escape(events),
                s?.MinTimeToContactSeconds is { } ttc ? ttc.ToString("0.00", CultureInfo.InvariantCulture) : "",
                s is null ? "" : s.Score.ToString("0", CultureInfo.InvariantCulture),
                Markup.Escape(o.Reason));
        }

        console.Write(table);
        var failed = _outcomes.Count(o => o.Status == TripOutcome.Failed);
        foreach (var o in _outcomes.Where(o => o.Status == TripOutcome.Failed))
        {
            error.WriteLine($"process: {o.Input}: {o.Reason}");
        }

        if (failed > 0)
        {
            error.WriteLine($"process: {failed} input(s) failed; the others were processed (see the table).");
        }
    }

    private sealed record WaveContext(ProcessSettings Settings, SegmentationStage Stage, ServiceMetrics Metrics, Segmenter Segmenter, ILoggerFactory Loggers);
}
