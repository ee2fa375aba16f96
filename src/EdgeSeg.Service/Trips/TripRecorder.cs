using System.Diagnostics;
using System.Globalization;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;
using EdgeSeg.Pipeline.Frames;
using EdgeSeg.Scene.Events;
using EdgeSeg.Scene.Serialization;
using EdgeSeg.Service.Appliance;
using EdgeSeg.Service.Inference;

namespace EdgeSeg.Service.Trips;

/// <summary>
/// One trip's files while its frames go through the pipeline: every frame's metrics document as a line of
/// <c>metrics.jsonl</c> (the bytes the scene stage wrote, which the MQTT sink publishes), every event message as a line of
/// <c>events.jsonl</c> (the service's own writer), masks and the overlay video on request, and what the summary and the
/// report need (each frame's <see cref="SceneFacts"/>, stage times, a thumbnail at each event's start). Everything goes
/// to <see cref="TripPlan.PartialDirectory"/>. Called by the pipeline's publish task only.
/// </summary>
internal sealed class TripRecorder : IDisposable
{
    /// <summary>Width of the event thumbnails in the report.</summary>
    public const int ThumbnailWidth = 320;

    private const float OverlayAlpha = 0.5f;
    private readonly TripPlan _plan;
    private readonly TripOptions _options;
    private readonly FileStream _metrics;
    private readonly FileStream _events;
    private readonly SceneEventJsonWriter _eventWriter = new();
    private readonly List<SceneFacts> _facts = [];
    private readonly List<SceneEvent> _messages = [];
    private readonly List<TripThumbnail> _thumbnails = [];
    private ImageBuffer? _overlay;
    private VideoWriter? _video;
    private double _preprocess;
    private double _inference;
    private double _postprocess;
    private long _writeTicks;

    /// <summary>Creates the partial folder (emptied first) and opens its files.</summary>
    public TripRecorder(TripPlan plan, TripOptions options)
    {
        _plan = plan;
        _options = options;
        if (Directory.Exists(plan.PartialDirectory))
        {
            Directory.Delete(plan.PartialDirectory, recursive: true);
        }

        Directory.CreateDirectory(plan.PartialDirectory);
        if (options.SaveMasks)
        {
            Directory.CreateDirectory(Path.Combine(plan.PartialDirectory, "masks"));
        }

        _metrics = new FileStream(Path.Combine(plan.PartialDirectory, "metrics.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 13);
        _events = new FileStream(Path.Combine(plan.PartialDirectory, "events.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 12);
    }

    /// <summary>The trip.</summary>
    public TripPlan Plan => _plan;

    /// <summary>Each frame's facts, in frame order.</summary>
    public IReadOnlyList<SceneFacts> Facts => _facts;

    /// <summary>Every event message, in order.</summary>
    public IReadOnlyList<SceneEvent> Events => _messages;

    /// <summary>The overlay at each event's start.</summary>
    public IReadOnlyList<TripThumbnail> Thumbnails => _thumbnails;

    /// <summary>Frames recorded.</summary>
    public long Frames => _facts.Count;

    /// <summary>Mean milliseconds per frame of pre-processing, the model run and post-processing, and of writing the trip's files.</summary>
    public (double Preprocess, double Inference, double Postprocess, double Write) MeanMilliseconds()
    {
        var n = Math.Max(1, _facts.Count);
        return (_preprocess / n, _inference / n, _postprocess / n, Stopwatch.GetElapsedTime(0, _writeTicks).TotalMilliseconds / n);
    }

    /// <summary>Writes one frame's documents and files. The frame must carry the segmentation and scene results.</summary>
    public void Record(Frame frame)
    {
        var start = Stopwatch.GetTimestamp();
        if (frame.Result is not SegmentationResult segmentation || frame.Metrics is not SceneResult scene)
        {
            throw new InvalidOperationException($"Frame {frame.Index} of '{frame.SourceId}' reached the trip files without its mask and scene metrics.");
        }

        _metrics.Write(scene.MetricsJson.WrittenSpan);
        _metrics.WriteByte((byte)'\n');
        var started = false;
        foreach (var message in scene.Events)
        {
            _events.Write(_eventWriter.Write(message, frame.SourceId).Span);
            _events.WriteByte((byte)'\n');
            _messages.Add(message);
            started |= message.Phase == SceneEventPhase.Start;
        }

        var index = _facts.Count;
        _facts.Add(scene.Facts);
        var timings = segmentation.Timings;
        _preprocess += timings.Preprocess.TotalMilliseconds;
        _inference += timings.Inference.TotalMilliseconds;
        _postprocess += timings.Postprocess.TotalMilliseconds;

        if (_options.SaveMasks)
        {
            var png = Publishing.MaskPng.Encode(segmentation.Mask, 1).Png;
            File.WriteAllBytes(Path.Combine(_plan.PartialDirectory, "masks", index.ToString("D6", CultureInfo.InvariantCulture) + ".png"), png);
        }

        if (started || _options.OverlayVideo)
        {
            _overlay ??= new ImageBuffer(frame.Image.Width, frame.Image.Height, 3);
            OverlayRenderer.Render(frame.Image, segmentation.Mask, OverlayAlpha, _overlay);
            if (_options.OverlayVideo)
            {
                _video ??= VideoWriter.Open(Path.Combine(_plan.PartialDirectory, "overlay.mp4"), _overlay.Width, _overlay.Height, _plan.Fps > 0 ? _plan.Fps : 30);
                _video.Write(_overlay);
            }

            if (started)
            {
                var height = Math.Max(1, (int)Math.Round((double)_overlay.Height * ThumbnailWidth / _overlay.Width));
                var small = new ImageBuffer(ThumbnailWidth, height, 3);
                CvImage.Resize(_overlay, small, ResizeInterpolation.Area);
                var jpeg = CvImage.Encode(small, ImageFormat.Jpeg, 80);
                foreach (var message in scene.Events)
                {
                    if (message.Phase == SceneEventPhase.Start)
                    {
                        _thumbnails.Add(new TripThumbnail(message.Id, message.Type, index, message.Timestamp, jpeg));
                    }
                }
            }
        }

        _writeTicks += Stopwatch.GetTimestamp() - start;
    }

    /// <summary>Flushes and closes the trip's open files (the metrics, the events, the overlay video).</summary>
    public void Complete()
    {
        _metrics.Flush(flushToDisk: true);
        _events.Flush(flushToDisk: true);
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _metrics.Dispose();
        _events.Dispose();
        _eventWriter.Dispose();
        _video?.Dispose();
        _video = null;
    }
}
